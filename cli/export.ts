import { writeFile } from "node:fs/promises";
import path from "node:path";
import { accountIdSchema } from "@/lib/accounts/config-schema";
import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { recordAuditEvent } from "@/lib/db/audit";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { createExportRequest, getExport, getExportFile, registerSigningKey } from "@/lib/db/evidence-exports";
import { closePool } from "@/lib/db/pool";
import { getCollectionRun } from "@/lib/db/runs";
import type { Env } from "@/lib/env";
import { loadSigningKey } from "@/lib/evidence/signing-key";
import { EVIDENCE_FORMATS, type EvidenceFormat } from "@/lib/evidence/types";
import { runEvidenceExport } from "@/lib/jobs/evidence-export";
import { isAwsRegion } from "@/lib/regions";
import { CliError, parseCommandArgs } from "./args";
import { dataDir, openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const EXPORT_HELP = `Usage: portwatch export --framework ID --format pdf|csv|json|oscal --out FILE [--account ID]... [--region R]... [--run N]

Writes an evidence export of a framework's evaluated results, for a scope, to FILE, and its
signed manifest to FILE.manifest.json. The export takes its place in this installation's chain
of exports (as if made on the Evidence page) and is in the audit log.

Options:
  --framework ID   ${FRAMEWORKS.map((f) => f.id).join(", ")}
  --format F       ${EVIDENCE_FORMATS.join(", ")}
  --out FILE       where to write the export (its manifest goes beside it)
  --account ID     only this account (repeat for more; default every account)
  --region R       only this region (repeat for more; default every region)
  --run N          the collection run to export (default the latest evaluated one)

Check a file later with: portwatch verify FILE
Exit status: 0 written, 1 bad input, nothing evaluated, or the export failed.`;

export async function exportCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("export", argv, {
    framework: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    account: { type: "string", multiple: true },
    region: { type: "string", multiple: true },
    run: { type: "string" },
  });
  if (values.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  const framework = values.framework;
  if (!framework || !FRAMEWORKS.some((f) => f.id === framework)) throw new CliError(`--framework must be one of ${FRAMEWORKS.map((f) => f.id).join(", ")}${framework ? `, not "${framework.slice(0, 40)}"` : ""}`);
  const format = values.format as EvidenceFormat | undefined;
  if (!format || !EVIDENCE_FORMATS.includes(format)) throw new CliError(`--format must be one of ${EVIDENCE_FORMATS.join(", ")}${values.format ? `, not "${values.format.slice(0, 40)}"` : ""}`);
  if (!values.out) throw new CliError("--out FILE is required: where to write the export");
  const accounts = [...new Set(values.account ?? [])];
  for (const a of accounts) if (!accountIdSchema.safeParse(a).success) throw new CliError(`--account must be a 12-digit AWS account id, not "${a.slice(0, 40)}"`);
  const regions = [...new Set(values.region ?? [])];
  for (const r of regions) if (!isAwsRegion(r)) throw new CliError(`--region must be a known AWS region, not "${r.slice(0, 40)}"`);
  if (values.run !== undefined && !/^\d{1,9}$/.test(values.run)) throw new CliError(`--run must be a run number, not "${values.run.slice(0, 40)}"`);
  const out = path.resolve(values.out);

  const db = await openDatabase(env, (line) => console.error(line));
  try {
    await applyMigrations(db.url, (line) => console.error(line));
    connectDatabase(db.url);
    // Checked before anything is stored: an export of a run that does not exist would be queued,
    // fail, and stay in the chain's list and the audit log.
    if (values.run !== undefined && !(await getCollectionRun(Number(values.run)))) throw new CliError(`--run: there is no run #${Number(values.run)}`);
    const key = await loadSigningKey(env, { dataDir: dataDir(env) });
    await registerSigningKey(key.publicKeyPem, key.keyId);
    const actor = { id: null, email: "cli" };
    const { id } = await createExportRequest({ framework, format, scope: { accountIds: accounts, regions, runId: values.run ? Number(values.run) : null }, createdBy: actor.email, createdById: null, createdByRole: "cli" });
    try {
      await runEvidenceExport(id, key);
    } catch (error) {
      // runEvidenceExport recorded the failure on the export; say it in one line.
      throw new CliError(`the export failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
    const made = await getExport(id);
    if (!made || made.status !== "done" || !made.manifest) throw new CliError("the export did not finish");
    const file = await getExportFile(id);
    if (!file) throw new CliError("the export has no file");
    await writeFile(out, file.data);
    await writeFile(`${out}.manifest.json`, `${JSON.stringify(made.manifest, null, 2)}\n`);
    await recordAuditEvent(actor, { action: "evidence.download", targetType: "evidence-export", targetId: id, details: { part: "file", fileName: path.basename(out), via: "cli" } });
    console.log(`Wrote ${out} (${file.data.length} bytes) and ${out}.manifest.json.`);
    console.log(`Export #${made.sequence} of this installation's chain; file SHA-256 ${made.fileSha256}; signed with key ${key.keyId}.`);
    return 0;
  } finally {
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
}
