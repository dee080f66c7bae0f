import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorWorker } from "@/lib/collect/worker";
import { getCurrentEvaluation, iterateResults, type StoredResult } from "@/lib/db/compliance-results";
import { evaluateRun } from "@/lib/db/evaluations";
import { closePool } from "@/lib/db/pool";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collect, configureSandboxAccounts, pointSdkAt, startTestWorker } from "@/test/collector";
import { withTestDatabase } from "@/test/database";

// The faults organisation: a missing role, AccessDenied on GetLifecyclePolicy in one account, a
// disabled opt-in region. What the collector could not read is ERROR, never PASS or FAIL, and
// everything else is still decided.

const db = withTestDatabase();
let sandbox: RunningSandbox;
let worker: CollectorWorker;
let results: StoredResult[];

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("faults"));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
  worker = await startTestWorker(db.url());
  const run = await collect(worker);
  await evaluateRun(run.id, { reason: "run finished", requestedBy: "test", reuse: true });
  const evaluation = await getCurrentEvaluation();
  results = [];
  for await (const r of iterateResults(evaluation!.id, {})) results.push(r);
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await closePool();
  await sandbox?.close();
});

describe("evaluating what could not be read", () => {
  it("makes every control ERROR in an account whose role cannot be assumed (no role, or a wrong external id), naming AssumeRole", () => {
    const { noRoleAccountId, wrongExternalIdAccountId } = sandbox.organization.faults!;
    for (const accountId of [noRoleAccountId, wrongExternalIdAccountId]) {
      const there = results.filter((r) => r.accountId === accountId && r.scope !== "account");
      expect(there.length).toBeGreaterThan(0);
      expect(there.filter((r) => r.status !== "ERROR")).toEqual([]);
      expect(there[0].reason).toMatch(/sts:AssumeRole failed with AccessDenied/);
    }
  });

  it("makes every control ERROR in a disabled region, naming UnrecognizedClientException", () => {
    const { disabledRegion } = sandbox.organization.faults!;
    const there = results.filter((r) => r.accountId === disabledRegion.accountId && r.region === disabledRegion.region);
    expect(there.length).toBeGreaterThan(0);
    expect(there.filter((r) => r.status !== "ERROR")).toEqual([]);
    expect(there[0].reason).toMatch(/UnrecognizedClientException/);
  });

  it("makes only the lifecycle checks ERROR where GetLifecyclePolicy was denied, and decides the rest", () => {
    const { accessDenied } = sandbox.organization.faults!;
    const repos = results.filter((r) => r.accountId === accessDenied.accountId && r.scope === "repository");
    const lifecycle = repos.filter((r) => r.control === "ECR.3");
    expect(lifecycle.length).toBeGreaterThan(0);
    expect(lifecycle.filter((r) => r.status !== "ERROR")).toEqual([]);
    expect(lifecycle[0].reason).toMatch(/GetLifecyclePolicy failed with AccessDeniedException/);
    const immutability = repos.filter((r) => r.control === "ECR.2");
    expect(immutability.filter((r) => r.status === "ERROR")).toEqual([]);
    expect(new Set(immutability.map((r) => r.status))).not.toEqual(new Set());
  });

  it("still decides the accounts and regions that were read", () => {
    const { noRoleAccountId, wrongExternalIdAccountId, disabledRegion, accessDenied } = sandbox.organization.faults!;
    const healthy = results.filter((r) => r.accountId && ![noRoleAccountId, wrongExternalIdAccountId, accessDenied.accountId].includes(r.accountId) && !(r.accountId === disabledRegion.accountId && r.region === disabledRegion.region) && r.scope !== "account");
    expect(healthy.length).toBeGreaterThan(0);
    expect(healthy.filter((r) => r.status === "ERROR")).toEqual([]);
  });
});
