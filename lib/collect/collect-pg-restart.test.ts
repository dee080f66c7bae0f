import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress, type RunProgress } from "@/lib/db/collection-targets";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { closePool } from "@/lib/db/pool";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { awsEnvironment, configureSandboxAccounts, expectExactInventory, pointSdkAt } from "@/test/collector";
import { freePort } from "@/test/pg-server";

// PostgreSQL restarted in the middle of a run (a failover, an upgrade, a crash): the worker
// process rides it out and the run completes, every row once. This file runs its own embedded
// server, whatever DATABASE_URL says, because it stops it.

const ROOT = path.resolve(import.meta.dirname, "../..");
let dataDir: string;
let port: number;
let server: EmbeddedDatabase;
let sandbox: RunningSandbox;
let worker: ChildProcess | undefined;
let output = "";

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(ROOT, ".portwatch", "test-pg-restart-"));
  port = await freePort();
  server = await startEmbeddedDatabase({ dataDir, port });
  await migrate(server.url);
  connectDatabase(server.url);
  sandbox = await startSandbox(sandboxOptions("demo", { latencyMs: 40 }));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGKILL");
    await exited;
  }
  await disconnectDb();
  await closePool();
  await sandbox?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Reads progress, waiting out the moments when the database is down or just back. */
async function progressOf(runId: number): Promise<RunProgress | null> {
  try {
    return await getRunProgress(runId);
  } catch {
    return null;
  }
}

describe("PostgreSQL restarted mid-run", () => {
  it("the worker keeps going and the run completes with every row once", { timeout: 180_000 }, async () => {
    worker = spawn(process.execPath, [path.join(ROOT, "bin", "portwatch.mjs"), "worker"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        DATABASE_URL: server.url,
        PORTWATCH_HEARTBEAT_SECONDS: "1",
        PORTWATCH_WORKER_CONCURRENCY: "2",
        ...awsEnvironment(sandbox),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout!.on("data", (d) => (output += d));
    worker.stderr!.on("data", (d) => (output += d));

    const { runId } = await createCollectionRun({ trigger: "cli", actor: { id: null, email: "test" } });
    for (const deadline = Date.now() + 60_000; ; ) {
      const progress = await progressOf(runId);
      if (progress && progress.targetsDone >= 3) break;
      if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`the worker made no progress: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const before = (await getRunProgress(runId))!;
    expect(before.targetsDone).toBeLessThan(before.targetsTotal);

    // Down for three seconds, then back on the same port with the same data.
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    server = await startEmbeddedDatabase({ dataDir, port });

    let finished: RunProgress | null = null;
    for (const deadline = Date.now() + 150_000; ; ) {
      const progress = await progressOf(runId);
      if (progress && !["queued", "running"].includes(progress.status)) {
        finished = progress;
        break;
      }
      if (Date.now() > deadline) throw new Error(`run #${runId} did not finish: ${JSON.stringify(progress)}\n${output}`);
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}) when the database restarted:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(worker.exitCode, output).toBeNull();
    // The worker felt the outage, and said so.
    expect(output).toMatch(/terminating connection|ECONNREFUSED|Connection terminated|lost the database connection/);
    expect(finished.status).toBe("complete");
    expect(finished.targetsDone).toBe(finished.targetsTotal);

    await expectExactInventory(sandbox);
  });
});
