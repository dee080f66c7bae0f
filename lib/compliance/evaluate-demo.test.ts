import { beforeAll, describe, expect, it } from "vitest";
import { createAttestation } from "@/lib/db/attestations";
import { createException } from "@/lib/db/compliance-exceptions";
import { getCurrentEvaluation, iterateResults, listResults, type StoredResult } from "@/lib/db/compliance-results";
import { evaluateRun, reevaluateVisibleRun } from "@/lib/db/evaluations";
import { computeRunSavings } from "@/lib/db/savings";
import { listMisconfigurations } from "@/lib/sandbox/misconfigurations";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { FRAMEWORKS } from "./frameworks/index";

// The demo organisation collected through the real SDK into PostgreSQL, then evaluated: what
// fails must be exactly what the generator planted, found by exactly the checks CONTROLS.md names.

const db = withTestDatabase();
const demo = withCollectedDemo(db);
let runId: number;
beforeAll(() => {
  runId = demo().run.id;
});

async function allResults(): Promise<StoredResult[]> {
  const evaluation = await getCurrentEvaluation();
  const out: StoredResult[] = [];
  for await (const r of iterateResults(evaluation!.id, {})) out.push(r);
  return out;
}

describe("evaluating the demo organisation", () => {
  it("is evaluated by the worker's job once the run finishes", { timeout: 60_000 }, async () => {
    // The worker queues the evaluation within a planning tick; wait for it rather than run it here.
    for (let i = 0; i < 200 && !(await getCurrentEvaluation()); i++) await new Promise((r) => setTimeout(r, 250));
    const evaluation = await getCurrentEvaluation();
    expect(evaluation).toMatchObject({ runId, stale: false, reason: "run finished" });
    expect(evaluation!.resultCount).toBeGreaterThan(0);
  });

  it("stores the run's savings with its evaluation: the list computeRunSavings gives for the run", async () => {
    const stored = () => sql<{ kind: string; resource: string; monthlyUsd: string | null; counted: boolean }>(
      `SELECT "kind", "resource", "monthlyUsd"::text AS "monthlyUsd", "counted" FROM "CostSaving" WHERE "runId" = $1 ORDER BY 1, 2`,
      [runId],
    );
    const withEvaluation = await stored();
    expect(withEvaluation.length).toBeGreaterThan(0);
    expect(withEvaluation.some((s) => s.kind === "lifecycle-policy" && s.counted)).toBe(true);
    await computeRunSavings(runId);
    expect(await stored()).toEqual(withEvaluation);
  });

  it("keeps a sound evaluation when its savings cannot be stored, and the earlier savings stay", async () => {
    const before = await sql<{ count: string }>(`SELECT count(*)::text AS "count" FROM "CostSaving" WHERE "runId" = $1`, [runId]);
    await sql(`ALTER TABLE "CostSaving" ADD CONSTRAINT "test_refuse_savings" CHECK (false) NOT VALID`);
    try {
      const summary = await evaluateRun(runId, { reason: "savings refused", requestedBy: "test" });
      expect(summary.resultCount).toBeGreaterThan(0);
      expect(await getCurrentEvaluation()).toMatchObject({ id: summary.evaluationId, reason: "savings refused" });
    } finally {
      await sql(`ALTER TABLE "CostSaving" DROP CONSTRAINT "test_refuse_savings"`);
    }
    expect(await sql(`SELECT count(*)::text AS "count" FROM "CostSaving" WHERE "runId" = $1`, [runId])).toEqual(before);
  });

  it("fails exactly the planted misconfigurations, by exactly the checks that look for them", async () => {
    const failing = new Set<string>();
    for (const r of await allResults()) for (const c of r.checks) if (c.status === "FAIL") failing.add(`${r.resource} ${c.check}`);
    const planted = new Set(listMisconfigurations(demo().sandbox.organization).map((m) => `${m.resource} ${m.check}`));
    expect([...failing].filter((f) => !planted.has(f)).sort()).toEqual([]);
    expect([...planted].filter((p) => !failing.has(p)).sort()).toEqual([]);
  });

  it("reports nothing as ERROR when every call succeeded, and every control of every framework has results", async () => {
    const results = await allResults();
    expect(results.filter((r) => r.status === "ERROR")).toEqual([]);
    const controls = new Set(results.map((r) => `${r.framework}/${r.control}`));
    for (const f of FRAMEWORKS) for (const c of f.controls) expect(controls, `${f.id}/${c.id}`).toContain(`${f.id}/${c.id}`);
  });

  it("gives every result a reason naming what was observed and the evidence it was decided on", async () => {
    const evaluation = await getCurrentEvaluation();
    const [fail] = await listResults(evaluation!.id, { framework: "aws-fsbp", control: "ECR.2", status: ["FAIL"] }, { limit: 1 });
    expect(fail.reason).toMatch(/MUTABLE/);
    expect(fail.evidence).toMatchObject({ runId, "tag-immutability": { imageTagMutability: expect.stringMatching(/MUTABLE/) } });
    expect(fail.evidence.collectedAt).toEqual(expect.any(String));
  });

  it("keeps an attestation control MANUAL until a security user attests it", async () => {
    const before = await getCurrentEvaluation();
    const [manual] = await listResults(before!.id, { framework: "csa-ccm-v5", control: "IAM-01", resource: "organization" });
    expect(manual).toMatchObject({ status: "MANUAL", scope: "organization" });
    await createAttestation({ framework: "csa-ccm-v5", control: "IAM-01", text: "ECR access policy reviewed quarterly", expiresAt: new Date(Date.now() + 90 * 86_400_000), file: null }, { id: null, email: "lead@example.com" });
    await reevaluateVisibleRun("attestation created", "test");
    const after = await getCurrentEvaluation();
    const [attested] = await listResults(after!.id, { framework: "csa-ccm-v5", control: "IAM-01", resource: "organization" });
    expect(attested.status).toBe("PASS");
    expect(attested.reason).toMatch(/Attested by lead@example.com/);
  });

  it("shows an accepted FAIL as EXCEPTED with its reason, and an expired exception no longer applies", async () => {
    const evaluation = await getCurrentEvaluation();
    const [fail] = await listResults(evaluation!.id, { framework: "aws-fsbp", control: "ECR.2", status: ["FAIL"] }, { limit: 1 });
    const name = fail.resource.split(":repository/")[1];
    await createException(
      { framework: "aws-fsbp", control: "ECR.2", accountId: fail.accountId, region: fail.region, resourcePattern: name, reason: "Release tooling re-tags latest until migration", owner: "platform-team", expiresAt: new Date(Date.now() + 30 * 86_400_000) },
      { id: null, email: "lead@example.com" },
    );
    // Expired yesterday: kept for the record, never applied.
    await sql(`INSERT INTO "ComplianceException" ("id", "framework", "control", "resourcePattern", "reason", "owner", "expiresAt", "createdBy") VALUES ('expiredexception0000001', 'aws-fsbp', 'ECR.2', '*', 'old', 'x', now() - interval '1 day', 'x')`);
    await reevaluateVisibleRun("exception created", "test");
    const after = await getCurrentEvaluation();
    const [excepted] = await listResults(after!.id, { framework: "aws-fsbp", control: "ECR.2", resource: fail.resource });
    expect(excepted.status).toBe("EXCEPTED");
    expect(excepted.reason).toMatch(/Release tooling re-tags latest until migration/);
    expect(excepted.reason).toMatch(/owner platform-team/);
    // The same resource under Security Hub's ECR.2 is not covered: exceptions are per framework.
    const [other] = await listResults(after!.id, { framework: "aws-securityhub", control: "ECR.2", resource: fail.resource });
    expect(other.status).toBe("FAIL");
    const stillFailing = await listResults(after!.id, { framework: "aws-fsbp", control: "ECR.2", status: ["FAIL"] });
    expect(stillFailing.length).toBeGreaterThan(0);
    expect(stillFailing.every((r) => r.exceptionId === null)).toBe(true);
  });

  it("keeps daily roll-ups, and only the newest evaluation of a run", async () => {
    const evaluation = await getCurrentEvaluation();
    const evaluations = await sql<{ id: number }>(`SELECT "id" FROM "Evaluation" WHERE "runId" = $1`, [runId]);
    expect(evaluations.map((e) => e.id)).toEqual([evaluation!.id]);
    const [rollup] = await sql<{ excepted: number; rows: number }>(`SELECT sum("excepted")::int AS excepted, count(*)::int AS rows FROM "ComplianceRollup" WHERE "evaluationId" = $1`, [evaluation!.id]);
    expect(rollup.rows).toBeGreaterThan(0);
    expect(rollup.excepted).toBe(evaluation!.counts.EXCEPTED);
  });

  it("reuses a run's evaluation when asked to ensure one exists", async () => {
    const summary = await evaluateRun(runId, { reason: "run finished", requestedBy: "test", reuse: true });
    expect(summary.reused).toBe(true);
    expect(summary.evaluationId).toBe((await getCurrentEvaluation())!.id);
  });
});

describe("an evaluation that goes wrong", () => {
  it("is recorded as failed with the reason, and the previous results stay visible", async () => {
    const before = await getCurrentEvaluation();
    await expect(evaluateRun(999_999, { reason: "test", requestedBy: "test" })).rejects.toThrow(/run #999999 does not exist/);
    const [failed] = await sql<{ status: string; error: string }>(`SELECT "status"::text, "error" FROM "Evaluation" WHERE "runId" = 999999`);
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/does not exist/) });
    expect((await getCurrentEvaluation())!.id).toBe(before!.id);
    await sql(`DELETE FROM "Evaluation" WHERE "runId" = 999999`);
  });
});
