import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCurrentEvaluation } from "@/lib/db/compliance-results";
import { createExportRequest, getExport, getExportFile, registerSigningKey, verifyEvidenceFile } from "@/lib/db/evidence-exports";
import { claimQueuedExports } from "@/lib/db/evidence-jobs";
import { loadSigningKey, type SigningKey } from "@/lib/evidence/signing-key";
import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { listMisconfigurations } from "@/lib/sandbox/misconfigurations";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { runEvidenceExport } from "./evidence-export";

// The whole export on a collected and evaluated sandbox organisation: queued, claimed, made,
// sealed into the chain, and read back (the PDF with pdftotext) by what an auditor would look for.

const run = promisify(execFile);
const db = withTestDatabase();
const demo = withCollectedDemo(db);
let key: SigningKey;
let keyDir: string;

beforeAll(async () => {
  keyDir = await mkdtemp(path.join(os.tmpdir(), "pw-signing-"));
  key = await loadSigningKey({ PORTWATCH_SIGNING_KEY: undefined, PORTWATCH_DATA_DIR: keyDir });
  await registerSigningKey(key.publicKeyPem, key.keyId);
  for (let i = 0; i < 200 && !(await getCurrentEvaluation()); i++) await new Promise((r) => setTimeout(r, 250));
}, 120_000);

afterAll(async () => {
  await rm(keyDir, { recursive: true, force: true });
});

async function exportAs(format: "pdf" | "csv" | "json" | "oscal", accountIds: string[] = []) {
  const { id } = await createExportRequest({ framework: "aws-fsbp", format, scope: { accountIds, regions: [], runId: null }, createdBy: "auditor@example.com", createdById: null, createdByRole: "auditor" });
  await runEvidenceExport(id, key);
  const made = (await getExport(id))!;
  const file = (await getExportFile(id))!;
  return { id, made, file };
}

describe("an evidence export of the demo organisation", () => {
  it("is claimed by one worker only", async () => {
    const { id } = await createExportRequest({ framework: "aws-fsbp", format: "csv", scope: { accountIds: [], regions: [], runId: null }, createdBy: "a@example.com", createdById: null });
    const [first, second] = await Promise.all([claimQueuedExports(), claimQueuedExports()]);
    expect([...first, ...second].filter((x) => x === id)).toEqual([id]);
    expect((await getExport(id))!.status).toBe("running");
  });

  it("PDF: every control id, the counts, and a planted failing repository with its reason; verified intact, signed and chained", { timeout: 60_000 }, async () => {
    const { made, file } = await exportAs("pdf");
    expect(made).toMatchObject({ status: "done", progress: 100, format: "pdf" });
    expect(file.data.subarray(0, 5).toString()).toBe("%PDF-");
    const dir = await mkdtemp(path.join(os.tmpdir(), "pw-pdf-"));
    try {
      const pdfPath = path.join(dir, "export.pdf");
      await writeFile(pdfPath, file.data);
      // Reading order (not -layout) keeps a table cell's wrapped lines together.
      const { stdout: text } = await run("pdftotext", [pdfPath, "-"], { maxBuffer: 64 * 1024 * 1024 });
      const flat = text.replace(/\s+/g, " ");
      for (const control of FRAMEWORKS.find((f) => f.id === "aws-fsbp")!.controls) expect(flat).toContain(control.id);
      const failCount = (await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "ComplianceResult" WHERE "framework" = 'aws-fsbp' AND "status" = 'FAIL'`))[0].n;
      expect(flat).toContain(failCount);
      const planted = listMisconfigurations(demo().sandbox.organization).find((m) => m.check === "tag-immutability")!;
      const [{ reason }] = await sql<{ reason: string }>(`SELECT "reason" FROM "ComplianceResult" WHERE "framework" = 'aws-fsbp' AND "control" = 'ECR.2' AND "resource" = $1`, [planted.resource]);
      expect(reason).toMatch(/MUTABLE/);
      expect(flat).toContain(planted.resource.split(":repository/")[1]);
      // The reason as printed (a long ARN or word may be broken at the cell's edge: compare without spaces).
      expect(flat.replace(/ /g, "")).toContain(reason.replace(/\s+/g, ""));
      expect(flat).toContain(made.manifest!.contentSha256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const verdict = await verifyEvidenceFile(file.data);
    expect(verdict).toMatchObject({ ok: true, intact: true, signedByThisInstallation: true, exportId: made.id });
    expect(verdict.chain.ok).toBe(true);
  });

  it("OSCAL, CSV and JSON of one account take the next places in the chain", async () => {
    const account = demo().sandbox.organization.accounts[0].id;
    const made = [];
    for (const format of ["oscal", "csv", "json"] as const) made.push((await exportAs(format, [account])).made);
    const sequences = made.map((m) => m.sequence!);
    expect(sequences[1]).toBe(sequences[0] + 1);
    expect(sequences[2]).toBe(sequences[1] + 1);
    expect(made[2].previousManifestSha256).toBe(made[1].manifestSha256);
    const csv = (await getExportFile(made[1].id))!.data.toString("utf8");
    expect(csv).toContain(account);
    expect(csv.split("\n").filter((l) => /^aws-fsbp,/.test(l)).every((l) => l.includes(account) || !/\d{12}/.test(l))).toBe(true);
  });

  it("records a failure on the export, with the reason, when the run was never evaluated", async () => {
    const { id } = await createExportRequest({ framework: "aws-fsbp", format: "csv", scope: { accountIds: [], regions: [], runId: 999_999 }, createdBy: "a@example.com", createdById: null });
    await expect(runEvidenceExport(id, key)).rejects.toThrow();
    expect(await getExport(id)).toMatchObject({ status: "failed" });
    expect((await getExport(id))!.error).toMatch(/999999|run/);
  });
});
