import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { type Verdict, verifyEvidenceFile } from "@/lib/db/evidence-exports";
import { closePool } from "@/lib/db/pool";
import { parseManifest } from "@/lib/evidence/manifest";
import { loadSigningKey } from "@/lib/evidence/signing-key";
import type { EvidenceManifest } from "@/lib/evidence/types";
import type { Env } from "@/lib/env";
import { CliError, parseCommandArgs } from "./args";
import { dataDir, openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const VERIFY_HELP = `Usage: portwatch verify FILE [--manifest FILE.manifest.json]
       portwatch verify --public-key

Checks an evidence export: that the file is the one exported (its SHA-256 and size), that its
manifest was signed by this installation's key (current or retired), and that its place in the
chain of exports is intact (no export before it deleted or rewritten). Prints each check with
✓ or ✗ and, for each failure, what is wrong.

The manifest is FILE.manifest.json beside the file when it exists, else --manifest; without
either, the export is looked up in the database by the file's SHA-256.

Options:
  --manifest F    the export's manifest (default: FILE.manifest.json when it exists)
  --public-key    print this installation's public key (PEM) and its key id, and exit
                  (the key is made on first use, in the data directory, unless PORTWATCH_SIGNING_KEY is set)

Exit status: 0 every check passed, 1 a check failed or bad input.`;

export async function verifyCommand(argv: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommandArgs("verify", argv, { manifest: { type: "string" }, "public-key": { type: "boolean" } }, true);
  if (values.help) {
    console.log(VERIFY_HELP);
    return 0;
  }
  if (values["public-key"]) {
    if (positionals.length > 0 || values.manifest !== undefined) throw new CliError("verify: --public-key takes no file (see portwatch verify --help)");
    // The public half only; the private key never leaves signing-key.ts.
    const key = await loadSigningKey(env, { dataDir: dataDir(env) });
    console.log(`Key id: ${key.keyId}`);
    console.log(key.publicKeyPem.trimEnd());
    return 0;
  }
  if (positionals.length !== 1) throw new CliError("verify: give exactly one FILE to check (see portwatch verify --help)");
  const [file] = positionals;
  const data = await readInput(file, "the file");
  const manifestPath = values.manifest ?? (existsSync(`${file}.manifest.json`) ? `${file}.manifest.json` : undefined);
  let manifest: EvidenceManifest | undefined;
  if (manifestPath !== undefined) {
    const text = (await readInput(manifestPath, "the manifest")).toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return report({ manifestLine: `✗ Manifest ${manifestPath}`, problems: ["the manifest is not JSON: it was damaged, or it is not a Portwatch manifest"] });
    }
    const parsed = parseManifest(json);
    if (!parsed.ok) return report({ manifestLine: `✗ Manifest ${manifestPath}`, problems: parsed.problems });
    manifest = parsed.manifest;
  }

  const db = await openDatabase(env, (line) => console.error(line));
  try {
    await applyMigrations(db.url, (line) => console.error(line));
    connectDatabase(db.url);
    const verdict = await verifyEvidenceFile(data, manifest);
    const source = manifestPath !== undefined ? `✓ Manifest ${manifestPath}` : verdict.manifest ? `✓ Manifest found in the database by the file's SHA-256 (export ${verdict.exportId})` : "✗ No manifest";
    return report({ manifestLine: source, verdict, problems: verdict.problems });
  } finally {
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === "ENOENT" ? `${what} ${file} does not exist` : `cannot read ${what} ${file} (${code ?? String(error)})`);
  }
}

/** One line per check, then every problem as a sentence; exit 0 only when nothing is wrong. */
function report({ manifestLine, verdict, problems }: { manifestLine: string; verdict?: Verdict; problems: string[] }): number {
  const lines = [manifestLine];
  if (verdict?.manifest) {
    const m = verdict.manifest;
    lines.push(`${verdict.intact ? "✓" : "✗"} File intact: SHA-256 and size (${m.fileBytes} bytes) match the manifest`);
    const retired = verdict.signingKey?.retiredAt ? `, retired since ${verdict.signingKey.retiredAt.toISOString()}` : "";
    lines.push(`${verdict.signedByThisInstallation ? "✓" : "✗"} Signed by this installation (key ${m.keyId}${retired})`);
    lines.push(`${verdict.chain.ok ? "✓" : "✗"} Hash chain: export #${verdict.chain.position} of ${verdict.chain.length}, every link from #1 intact`);
  }
  for (const note of verdict?.notes ?? []) lines.push(`  · ${note}`);
  for (const problem of problems) lines.push(`  - ${problem}`);
  const ok = verdict?.ok === true && problems.length === 0;
  lines.push(ok ? `Verified: export ${verdict?.exportId} is intact, signed by this installation and in an unbroken chain.` : "Not verified.");
  console.log(lines.join("\n"));
  return ok ? 0 : 1;
}
