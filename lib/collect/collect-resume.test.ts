import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorWorker } from "@/lib/collect/worker";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress } from "@/lib/db/collection-targets";
import { closePool } from "@/lib/db/pool";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { awsEnvironment, configureSandboxAccounts, expectExactInventory, pointSdkAt, sql, startTestWorker, waitForRun } from "@/test/collector";
import { withTestDatabase } from "@/test/database";

// A worker process killed (SIGKILL: no clean-up) in the middle of a run: another worker notices
// the silent claims, resumes the run and completes it, with no duplicate rows.

const ROOT = path.resolve(import.meta.dirname, "../..");
const db = withTestDatabase();
let sandbox: RunningSandbox;
let worker: CollectorWorker | undefined;

beforeAll(async () => {
  // Slow answers, so the run is still going when the worker is killed.
  sandbox = await startSandbox(sandboxOptions("demo", { latencyMs: 40 }));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
});

afterAll(async () => {
  await worker?.stop();
  await closePool();
  await sandbox?.close();
});

describe("a worker killed mid-run", () => {
  it("leaves a run that another worker resumes and completes without duplicates", { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "portwatch.mjs"), "worker"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        DATABASE_URL: db.url(),
        PORTWATCH_HEARTBEAT_SECONDS: "1",
        PORTWATCH_WORKER_CONCURRENCY: "2",
        ...awsEnvironment(sandbox),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise((resolve) => child.once("exit", resolve));

    const { runId } = await createCollectionRun({ trigger: "cli", actor: { id: null, email: "test" } });
    // Killed while it holds a target, after it has finished a few.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const progress = await getRunProgress(runId);
      const [held] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "CollectionTarget" WHERE "runId" = $1 AND "status" = 'running'`, [runId]);
      if (progress && progress.targetsDone >= 3 && held.count > 0) break;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the worker made no progress: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exited;
    const atKill = (await getRunProgress(runId))!;
    expect(atKill.status).toBe("running");
    expect(atKill.targetsDone).toBeLessThan(atKill.targetsTotal);
    // What the dead worker held (nothing can change them now that it is gone).
    const orphans = (await sql<{ id: number }>(`SELECT "id" FROM "CollectionTarget" WHERE "runId" = $1 AND "status" = 'running' ORDER BY "id"`, [runId])).map((t) => t.id);
    expect(orphans.length).toBeGreaterThan(0);

    worker = await startTestWorker(db.url(), 1);
    const finished = await waitForRun(runId, 90_000);
    expect(finished.status).toBe("complete");
    expect(finished.targetsDone).toBe(finished.targetsTotal);

    // The targets the dead worker held were claimed again and finished.
    const resumed = await sql<{ id: number; attempts: number; status: string }>(`SELECT "id", "attempts", "status"::text FROM "CollectionTarget" WHERE "id" = ANY($1::int4[]) ORDER BY "id"`, [orphans]);
    expect(resumed).toEqual(orphans.map((id) => ({ id, attempts: expect.any(Number), status: "done" })));
    for (const target of resumed) expect(target.attempts).toBeGreaterThan(1);

    // Exactly the organisation's inventory, each row once.
    await expectExactInventory(sandbox);
    const [costDays] = await sql<{ duplicates: number }>(
      `SELECT count(*)::int AS duplicates FROM (SELECT 1 FROM "CostDaily" GROUP BY "dimension", "key", "usageType", "date" HAVING count(*) > 1) d`,
    );
    expect(costDays.duplicates).toBe(0);
  });
});
