import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { RESULT_STATUSES } from "@/lib/compliance/types";
import { evidenceCsv } from "@/lib/evidence/csv";
import { evidenceJson } from "@/lib/evidence/json";
import { evidenceOscal } from "@/lib/evidence/oscal";
import { listMisconfigurations } from "@/lib/sandbox/misconfigurations";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { createAttestation } from "./attestations";
import { createException } from "./compliance-exceptions";
import { evaluateRun } from "./evaluations";
import { getEvidenceDocument } from "./evidence-document";

// The evidence document of the demo organisation, collected through the real SDK and evaluated:
// what it holds must be exactly the stored rows of that evaluation, cut to the scope.

const db = withTestDatabase();
// The evaluation is run here, so the worker's own after-run job must not race it.
const demo = withCollectedDemo(db, { stopWorker: true });
const generatedBy = { email: "auditor@example.com", role: "auditor" };
let runId: number;
let evaluationId: number;

beforeAll(async () => {
  runId = demo().run.id;
  evaluationId = (await evaluateRun(runId, { reason: "run finished", requestedBy: "test", reuse: true })).evaluationId;
}, 60_000);

const all = (framework: string, runIdOverride: number | null = null) =>
  getEvidenceDocument({ scope: { framework, accountIds: [], regions: [], runId: runIdOverride }, generatedBy, now: new Date("2026-11-28T09:00:00.000Z") });

describe("getEvidenceDocument", () => {
  it("names an unknown framework and the known ones", async () => {
    await expect(all("pci-dss")).rejects.toThrow(/"pci-dss".*aws-fsbp/);
  });

  it("refuses a run that has not been evaluated", async () => {
    const [{ id }] = await sql<{ id: number }>(`INSERT INTO "CollectionRun" ("status", "trigger", "requestedBy") VALUES ('complete', 'cli', 'test') RETURNING "id"`);
    try {
      await expect(all("aws-fsbp", id)).rejects.toThrow(`run #${id} has not been evaluated`);
    } finally {
      await sql(`DELETE FROM "CollectionRun" WHERE "id" = $1`, [id]);
    }
  });

  it("holds every control of the pack, in its order, with counts equal to the stored rows", async () => {
    for (const id of ["aws-fsbp", "nist-800-53-r5", "csa-ccm-v5"]) {
      const doc = await all(id);
      const pack = getFramework(id)!;
      expect(doc.controls.map((c) => c.id)).toEqual(pack.controls.map((c) => c.id));
      expect(doc.evaluation).toMatchObject({ id: evaluationId, runId });
      const stored = await sql<{ control: string; status: string; n: number }>(
        `SELECT "control", "status", count(*)::int AS "n" FROM "ComplianceResult" WHERE "evaluationId" = $1 AND "framework" = $2 GROUP BY 1, 2`,
        [evaluationId, id],
      );
      for (const c of doc.controls) {
        for (const s of RESULT_STATUSES) expect(c.counts[s], `${id} ${c.id} ${s}`).toBe(stored.find((r) => r.control === c.id && r.status === s)?.n ?? 0);
        expect(c.results.length).toBe(Object.values(c.counts).reduce((a, b) => a + b, 0));
      }
      const total = stored.reduce((a, r) => a + r.n, 0);
      expect(Object.values(doc.summary.counts).reduce((a, b) => a + b, 0)).toBe(total);
      expect(doc.summary.score).not.toBeNull();
    }
  });

  it("carries the pack's crosswalk and NIST's mapping note", async () => {
    const nist = await all("nist-800-53-r5");
    expect(nist.mappingNote).toMatch(/Portwatch's own mapping/);
    expect(nist.controls.find((c) => c.id === "SC-28")!.crosswalk).toEqual(["AWS Security Hub ECR.5"]);
    const ccm = await all("csa-ccm-v5");
    expect(ccm.mappingNote).toBeNull();
    expect(ccm.controls.find((c) => c.id === "IAM-01")!.crosswalk.some((x) => x.endsWith(" IAM-16"))).toBe(true);
  });

  it("keeps only the scope's account (and organization-scope results) under an account filter", async () => {
    const doc0 = await all("aws-fsbp");
    const accounts = [...new Set(doc0.controls.flatMap((c) => c.results.map((r) => r.accountId)).filter((a): a is string => a !== null))];
    expect(accounts.length).toBeGreaterThan(1);
    const account = accounts[0];
    const doc = await getEvidenceDocument({ scope: { framework: "aws-fsbp", accountIds: [account], regions: [], runId: null }, generatedBy });
    const results = doc.controls.flatMap((c) => c.results);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.scope === "organization" || r.accountId === account).toBe(true);
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS "n" FROM "ComplianceResult" WHERE "evaluationId" = $1 AND "framework" = 'aws-fsbp' AND ("scope" = 'organization' OR "accountId" = $2)`,
      [evaluationId, account],
    );
    expect(results.length).toBe(n);
    expect(doc.provenance.accounts.map((a) => a.id)).toEqual([account]);
    for (const t of doc.provenance.targets) expect(t.accountId).toBe(account);
  });

  it("holds a planted misconfiguration as a FAIL with its reason", async () => {
    const planted = listMisconfigurations(demo().sandbox.organization).find((m) => m.check === "tag-immutability");
    expect(planted).toBeDefined();
    const doc = await all("aws-fsbp");
    const result = doc.controls.find((c) => c.id === "ECR.2")!.results.find((r) => r.resource === planted!.resource);
    expect(result).toMatchObject({ status: "FAIL", accountId: planted!.accountId, region: planted!.region });
    expect(result!.reason).toMatch(/imageTagMutability is MUTABLE/);
    expect(result!.checks).toContainEqual({ check: "tag-immutability", status: "FAIL" });
    expect(result!.evidence).toMatchObject({ runId });
  });

  it("lists the runs and the run's targets with how they ended", async () => {
    const doc = await all("aws-fsbp");
    expect(doc.runs.map((r) => r.id)).toContain(runId);
    expect(doc.runs.find((r) => r.id === runId)!.status).toMatch(/complete|partial/);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS "n" FROM "CollectionTarget" WHERE "runId" = $1`, [runId]);
    expect(doc.provenance.targets.length).toBe(n);
    for (const t of doc.provenance.targets) expect(["done", "failed"]).toContain(t.status);
    expect(doc.provenance.accounts.length).toBeGreaterThan(1);
    expect(doc.portwatchVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.generatedAt).toBe("2026-11-28T09:00:00.000Z");
  });

  it("shows a failed target and its call errors in the provenance", async () => {
    const [target] = await sql<{ id: number; accountId: string; region: string }>(`SELECT "id", "accountId", "region" FROM "CollectionTarget" WHERE "runId" = $1 AND "region" <> 'global' ORDER BY "id" LIMIT 1`, [runId]);
    const [before] = await sql<Record<string, unknown>>(`SELECT "status"::text AS "status", "errorName", "errorOperation", "error" FROM "CollectionTarget" WHERE "id" = $1`, [target.id]);
    // Marks one target failed after the fact: the document reads rows, it does not re-decide them.
    await sql(`UPDATE "CollectionTarget" SET "status" = 'failed', "errorName" = 'AccessDeniedException', "errorOperation" = 'ecr:DescribeRepositories', "error" = 'not authorized' WHERE "id" = $1`, [target.id]);
    await sql(
      `INSERT INTO "CollectionError" ("runId", "targetId", "accountId", "region", "service", "operation", "errorName", "kind", "message") VALUES ($1, $2, $3, $4, 'ecr', 'DescribeRepositories', 'AccessDeniedException', 'access', 'not authorized')`,
      [runId, target.id, target.accountId, target.region],
    );
    try {
      const doc = await all("aws-fsbp");
      expect(doc.provenance.targets).toContainEqual(expect.objectContaining({ accountId: target.accountId, region: target.region, status: "failed", errorName: "AccessDeniedException", errorOperation: "ecr:DescribeRepositories" }));
      expect(doc.provenance.callErrors).toContainEqual(expect.objectContaining({ accountId: target.accountId, region: target.region, operation: "DescribeRepositories", errorName: "AccessDeniedException" }));
    } finally {
      await sql(`UPDATE "CollectionTarget" SET "status" = $2::"TargetStatus", "errorName" = $3, "errorOperation" = $4, "error" = $5 WHERE "id" = $1`, [target.id, before.status, before.errorName, before.errorOperation, before.error]);
      await sql(`DELETE FROM "CollectionError" WHERE "runId" = $1 AND "targetId" = $2 AND "message" = 'not authorized'`, [runId, target.id]);
    }
  });

  it("lists an exception under its control, EXCEPTED results naming it, and leaves other controls' lists alone", async () => {
    const doc0 = await all("aws-fsbp");
    const fail = doc0.controls.find((c) => c.id === "ECR.2")!.results.find((r) => r.status === "FAIL")!;
    const name = fail.resource.split(":repository/")[1];
    const created = await createException(
      { framework: "aws-fsbp", control: "ECR.2", accountId: fail.accountId, region: fail.region, resourcePattern: name, reason: "Release tooling re-tags latest", owner: "platform-team", expiresAt: new Date(Date.now() + 30 * 86_400_000) },
      { id: null, email: "lead@example.com" },
    );
    await evaluateRun(runId, { reason: "exception created", requestedBy: "test" });
    const doc = await all("aws-fsbp");
    const control = doc.controls.find((c) => c.id === "ECR.2")!;
    expect(control.exceptions).toContainEqual(expect.objectContaining({ id: created.id, approvedBy: "lead@example.com", owner: "platform-team", resourcePattern: name, revokedAt: null }));
    expect(control.results.find((r) => r.resource === fail.resource)).toMatchObject({ status: "EXCEPTED", exceptionId: created.id });
    expect(control.counts.EXCEPTED).toBeGreaterThan(0);
    for (const c of doc.controls) if (c.id !== "ECR.2") expect(c.exceptions).toEqual([]);
  });

  it("lists an attestation under its control with the file's name and hash, never its bytes", async () => {
    const created = await createAttestation(
      { framework: "csa-ccm-v5", control: "IAM-01", text: "Access policies are reviewed quarterly.", expiresAt: new Date(Date.now() + 90 * 86_400_000), file: { name: "policy.pdf", type: "application/pdf", data: Buffer.from("%PDF-1.7 policy") } },
      { id: null, email: "security@example.com" },
    );
    await evaluateRun(runId, { reason: "attestation created", requestedBy: "test" });
    const doc = await all("csa-ccm-v5");
    const control = doc.controls.find((c) => c.id === "IAM-01")!;
    expect(control.attestations).toEqual([
      { id: created.id, text: "Access policies are reviewed quarterly.", attester: "security@example.com", attestedAt: created.attestedAt.toISOString(), expiresAt: created.expiresAt.toISOString(), revokedAt: null, fileName: "policy.pdf", fileSha256: created.fileSha256 },
    ]);
    expect(JSON.stringify(doc)).not.toContain("%PDF");
    expect(control.results.find((r) => r.scope === "organization")!.checks).toContainEqual({ check: "attestation", status: "PASS" });
  });

  it("keeps only the scope's region (and account- and organization-scope results) under a region filter", async () => {
    const [{ region }] = await sql<{ region: string }>(`SELECT "region" FROM "CollectionTarget" WHERE "runId" = $1 AND "region" <> 'global' ORDER BY "region" LIMIT 1`, [runId]);
    const doc = await getEvidenceDocument({ scope: { framework: "ecr-cost", accountIds: [], regions: [region], runId }, generatedBy });
    const results = doc.controls.flatMap((c) => c.results);
    expect(results.some((r) => r.region === region)).toBe(true);
    for (const r of results) expect(r.region === null || r.region === region).toBe(true);
    expect(results.some((r) => r.scope === "account")).toBe(true);
    for (const t of doc.provenance.targets) expect([region, "global"]).toContain(t.region);
  });

  it("is written by every writer: OSCAL that validates, a CSV row per result, JSON that reads back", async () => {
    const doc = await all("nist-800-53-r5");
    const schema = JSON.parse(readFileSync(join(process.cwd(), "spec/oscal/oscal_assessment-results_schema.json"), "utf8"));
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    expect(validate(evidenceOscal(doc)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = doc.controls.reduce((n, c) => n + c.results.length, 0);
    expect(evidenceCsv(doc).match(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g)).toHaveLength(results + 1);
    expect(JSON.parse(evidenceJson(doc))).toEqual(doc);
  });
});
