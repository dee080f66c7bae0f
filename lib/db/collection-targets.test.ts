import { afterAll, describe, expect, it } from "vitest";
import { sql } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { createCollectionRun } from "./collection-runs";
import { claimTarget, createTargets, failAbandonedTargets, finishTarget, getRunProgress, listOrphanedTargets, startQueuedRun } from "./collection-targets";
import { closePool } from "./pool";

withTestDatabase();
afterAll(() => closePool());

const actor = { id: null, email: "test" };
const stats = { calls: 3, throttled: 1, failed: 0 };

async function runWithTargets(n: number) {
  const { runId } = await createCollectionRun({ trigger: "cli", actor });
  await startQueuedRun(runId);
  const targets = await createTargets(runId, Array.from({ length: n }, (_, i) => ({ kind: "region" as const, accountId: `11111111111${i}`, region: "us-east-1" })));
  return { runId, targets };
}

describe("sharing a run's targets between workers", () => {
  it("lets one worker claim a target; another takes it over only once the first goes quiet", async () => {
    const { runId, targets } = await runWithTargets(2);
    const [a, b] = targets;
    expect(await claimTarget(a.id, "worker-1", 30)).toMatchObject({ id: a.id, attempts: 1 });
    expect(await claimTarget(a.id, "worker-2", 30)).toBeNull();
    await sql(`UPDATE "CollectionTarget" SET "heartbeatAt" = now() - interval '1 minute' WHERE "id" = $1`, [a.id]);
    expect((await listOrphanedTargets(30)).map((t) => t.id)).toEqual([a.id]);
    const taken = await claimTarget(a.id, "worker-2", 30);
    expect(taken).toMatchObject({ id: a.id, attempts: 2 });

    // The first worker's late answer is not recorded: its claim was lost.
    expect(await finishTarget(a, "worker-1", { status: "done", stats, rowsWritten: 5, failures: [] })).toBe(false);
    expect(await finishTarget(taken!, "worker-2", { status: "done", stats, rowsWritten: 5, failures: [] })).toBe(true);
    expect((await getRunProgress(runId))!.status).toBe("running");

    const claimedB = (await claimTarget(b.id, "worker-1", 30))!;
    const failure = { accountId: b.accountId, region: "us-east-1", service: "sts", operation: "AssumeRole", errorName: "AccessDenied", message: "no", kind: "access-denied" as const };
    await finishTarget(claimedB, "worker-1", { status: "failed", stats, rowsWritten: 0, failures: [failure], fatal: { errorName: "AccessDenied", operation: "sts:AssumeRole", message: "no" } });
    expect(await getRunProgress(runId)).toMatchObject({ status: "partial", targetsDone: 2, targetsFailed: 1, calls: 6, throttled: 2, errorCount: 1, rowsWritten: 5 });
  });

  it("fails a target whose workers keep dying instead of resuming it forever", async () => {
    const { runId, targets } = await runWithTargets(1);
    await claimTarget(targets[0].id, "worker-1", 30);
    await sql(`UPDATE "CollectionTarget" SET "attempts" = 5, "heartbeatAt" = now() - interval '1 minute' WHERE "id" = $1`, [targets[0].id]);
    expect(await failAbandonedTargets(30, 5)).toEqual([runId]);
    const [target] = await sql<{ status: string; errorName: string; error: string }>(`SELECT "status"::text, "errorName", "error" FROM "CollectionTarget" WHERE "id" = $1`, [targets[0].id]);
    expect(target).toMatchObject({ status: "failed", errorName: "WorkerStopped" });
    expect(target.error).toMatch(/stopped 5 times/);
    expect((await getRunProgress(runId))!.status).toBe("failed");
  });

  it("never shows a finished run with fewer targets done than it has, however its targets race to finish", { timeout: 60_000 }, async () => {
    for (let round = 0; round < 5; round++) {
      const { runId, targets } = await runWithTargets(16);
      const claimed = await Promise.all(targets.map((t) => claimTarget(t.id, "worker-1", 30)));
      let finishing = true;
      const seen: { status: string; targetsDone: number }[] = [];
      const watch = (async () => {
        while (finishing) {
          const p = (await getRunProgress(runId))!;
          if (p.status !== "running") seen.push(p);
        }
      })();
      await Promise.all(claimed.map((t) => finishTarget(t!, "worker-1", { status: "done", stats, rowsWritten: 1, failures: [] })));
      finishing = false;
      await watch;
      seen.push((await getRunProgress(runId))!);
      expect(seen.filter((p) => p.status !== "complete" || p.targetsDone !== 16)).toEqual([]);
    }
  });
});
