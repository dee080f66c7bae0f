import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closePool } from "@/lib/db/pool";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress } from "@/lib/db/collection-targets";
import { getRunDetail } from "@/lib/db/runs";
import { getRepositories } from "@/lib/sandbox/ecr-model";
import { type SandboxOptions, sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { configureSandboxAccounts, pointSdkAt, sql, waitForRun } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { type CollectorWorker, startCollectorWorker } from "./worker";

// What AWS does to a long collection besides refusing it: sessions that die early, throttling
// that will not let up, and an account whose network stops answering. One sandbox, changed
// between runs as the fault requires; each run is checked against the organisation itself.

const db = withTestDatabase();
let sandbox: RunningSandbox;
let options: SandboxOptions;
let worker: CollectorWorker | undefined;
/** Added to the sandbox's clock: moving it forward expires every session it has handed out. */
let clockOffsetMs = 0;

beforeAll(async () => {
  // Slow enough that a run is still going when the test changes something under it.
  options = sandboxOptions("demo", { latencyMs: 15 });
  sandbox = await startSandbox(options, { clock: () => Date.now() + clockOffsetMs, now: new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000) });
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  options.throttleStorm = 0;
  options.stall = undefined;
});

afterAll(async () => {
  await closePool();
  await sandbox?.close();
});

interface TargetRow {
  accountId: string;
  region: string;
  status: string;
  errorName: string | null;
  errorOperation: string | null;
}

const regionTargets = (runId: number) =>
  sql<TargetRow>(`SELECT "accountId", "region", "status"::text, "errorName", "errorOperation" FROM "CollectionTarget" WHERE "runId" = $1 AND "kind" = 'region' ORDER BY "accountId", "region"`, [runId]);

const runErrors = (runId: number) => sql<{ accountId: string; operation: string; errorName: string }>(`SELECT "accountId", "operation", "errorName" FROM "CollectionError" WHERE "runId" = $1`, [runId]);

/** The live repositories stored for an account, against what the sandbox holds. */
async function expectInventoryOf(accountId: string) {
  for (const region of sandbox.organization.options.regions) {
    const [stored] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Repository" WHERE "accountId" = $1 AND "region" = $2 AND "validTo" IS NULL`, [accountId, region]);
    expect(stored.count, `${accountId}/${region}`).toBe(getRepositories(sandbox.organization, accountId, region).length);
  }
}

const activeAccounts = () => sandbox.organization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id);

async function startRun(awsClient?: Parameters<typeof startCollectorWorker>[0]["awsClient"]) {
  worker = await startCollectorWorker({ databaseUrl: db.url(), concurrency: 4, heartbeatSeconds: 1, schedule: false, log: () => undefined, awsClient });
  const { runId } = await createCollectionRun({ trigger: "cli", actor: { id: null, email: "test" } });
  await worker.startRun(runId);
  return runId;
}

describe("collecting through disruptions", () => {
  it("assumes the roles again when AWS says the sessions expired mid-run, and collects everything", { timeout: 120_000 }, async () => {
    const before = sandbox.metrics();
    const runId = await startRun();
    // Some targets done with the first sessions, the rest still to come.
    for (const deadline = Date.now() + 60_000; ; ) {
      const progress = await getRunProgress(runId);
      if (progress && progress.targetsDone >= 2) break;
      if (Date.now() > deadline) throw new Error("the run made no progress");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await getRunProgress(runId))!.targetsDone).toBeLessThan((await getRunProgress(runId))!.targetsTotal);
    // Two hours pass for AWS: every session handed out so far is expired, hours before the
    // collector's own clock says so.
    clockOffsetMs += 2 * 3_600_000;
    const run = await waitForRun(runId, 100_000);

    const after = sandbox.metrics();
    const expired = Object.entries(after.errors)
      .filter(([key]) => key.endsWith(":ExpiredTokenException"))
      .reduce((n, [key, count]) => n + count - (before.errors[key] ?? 0), 0);
    expect(expired, "the sandbox refused expired sessions during the run").toBeGreaterThan(0);
    expect((after.calls["sts:AssumeRole"] ?? 0) - (before.calls["sts:AssumeRole"] ?? 0)).toBeGreaterThan(activeAccounts().length);

    expect(run.status).toBe("complete");
    expect(run.targetsDone).toBe(run.targetsTotal);
    expect(await runErrors(runId)).toEqual([]);
    for (const accountId of activeAccounts()) await expectInventoryOf(accountId);
  });

  it("rides out a throttling storm: a third of all calls refused, every target still collected", { timeout: 180_000 }, async () => {
    options.throttleStorm = 1 / 3;
    const before = sandbox.metrics();
    const runId = await startRun();
    const run = await waitForRun(runId, 170_000);
    const throttled = Object.values(sandbox.metrics().throttled).reduce((a, b) => a + b, 0) - Object.values(before.throttled).reduce((a, b) => a + b, 0);
    expect(throttled).toBeGreaterThan(100);
    const errors = await sql(`SELECT "accountId", "region", "operation", "errorName", "message" FROM "CollectionError" WHERE "runId" = $1`, [runId]);
    if (errors.length) console.log("STORM", JSON.stringify(errors.slice(0, 5)), errors.length);
    expect(errors).toEqual([]);
    expect(await regionTargets(runId)).toEqual((await regionTargets(runId)).map((t) => ({ ...t, status: "done", errorName: null, errorOperation: null })));
    expect(run.status).toBe("complete");
    expect(run.targetsDone).toBe(run.targetsTotal);
    // The run says how hard AWS pushed back.
    const [counts] = await sql<{ throttled: number }>(`SELECT "throttled" FROM "CollectionRun" WHERE "id" = $1`, [runId]);
    expect(counts.throttled).toBeGreaterThan(0);
    for (const accountId of activeAccounts()) await expectInventoryOf(accountId);
  });

  it("fails only the targets of an account whose network stops answering, naming the timeout, and keeps what was stored", { timeout: 120_000 }, async () => {
    const stalled = activeAccounts()[1];
    const before = await sql<{ arn: string }>(`SELECT "arn" FROM "Repository" WHERE "accountId" = $1 AND "validTo" IS NULL ORDER BY "arn"`, [stalled]);
    expect(before.length).toBeGreaterThan(0);
    options.stall = { accountId: stalled, ms: 2_500 };
    const runId = await startRun({ requestTimeoutMs: 400, maxAttempts: 2 });
    const run = await waitForRun(runId, 110_000);
    expect(run.status).toBe("partial");

    const targets = await regionTargets(runId);
    const failed = targets.filter((t) => t.status === "failed");
    expect(failed.map((t) => t.accountId)).toEqual(sandbox.organization.options.regions.map(() => stalled));
    for (const t of failed) {
      expect(t.errorName).toBe("TimeoutError");
      expect(t.errorOperation).toMatch(/^(ecr|kms|ec2|cloudtrail|guardduty|inspector2):\w+$/);
    }
    expect(targets.filter((t) => t.status === "done").length).toBe(targets.length - failed.length);
    // What the run page shows (it renders getRunDetail): each failed target with its account,
    // region, call and AWS's error.
    const detail = await getRunDetail(runId);
    expect(detail!.targets.filter((t) => t.status === "failed")).toEqual(
      failed.map((t) => expect.objectContaining({ accountId: stalled, region: t.region, errorName: "TimeoutError", errorOperation: t.errorOperation, error: expect.stringMatching(/^AWS did not answer \w+:\w+ within 0\.4 s \(the request timeout\)/) })),
    );

    // What the earlier runs stored for the stalled account is still there, unchanged.
    expect(await sql<{ arn: string }>(`SELECT "arn" FROM "Repository" WHERE "accountId" = $1 AND "validTo" IS NULL ORDER BY "arn"`, [stalled])).toEqual(before);
    for (const accountId of activeAccounts().filter((id) => id !== stalled)) await expectInventoryOf(accountId);

    // The evaluation that follows decides nothing about the stalled account from old data: ERROR.
    for (const deadline = Date.now() + 60_000; ; ) {
      const [evaluation] = await sql<{ id: number }>(`SELECT "id" FROM "Evaluation" WHERE "runId" = $1 AND "status" = 'complete'`, [runId]);
      if (evaluation) break;
      if (Date.now() > deadline) throw new Error("run was not evaluated");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const statuses = await sql<{ status: string; count: number }>(
      `SELECT r."status", count(*)::int AS count FROM "ComplianceResult" r JOIN "Evaluation" e ON e."id" = r."evaluationId"
        WHERE e."runId" = $1 AND r."accountId" = $2 AND r."scope" IN ('repository', 'registry') GROUP BY r."status"`,
      [runId, stalled],
    );
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s.status === "PASS" || s.status === "FAIL")).toEqual([]);
  });
});
