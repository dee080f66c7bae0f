import { guardAgainstConnectionLoss, startCollectorWorker } from "@/lib/collect/worker";
import { disconnectDb, connectDatabase } from "@/lib/db/client";
import { closePool } from "@/lib/db/pool";
import type { Env } from "@/lib/env";
import { applyConfigFile } from "./accounts-config";
import { parseCommandArgs } from "./args";
import { dataDir, openDatabase } from "./database";
import { applyMigrations } from "./migrate";
import { loadSigningKey } from "@/lib/evidence/signing-key";

export const WORKER_HELP = `Usage: portwatch worker [--config F]

Runs collector workers only (no web app) against DATABASE_URL: works the targets of queued
runs, resumes targets whose worker stopped, and starts runs on the schedule in Settings. Run as
many as you like, on as many machines, against one PostgreSQL. Stop with Ctrl-C: the target in
hand finishes first.

Options:
  --config F   apply this accounts config file first (default: PORTWATCH_CONFIG)

Environment: PORTWATCH_WORKER_CONCURRENCY (targets at once, default 8),
PORTWATCH_HEARTBEAT_SECONDS (default 10).`;

export async function workerCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("worker", argv, { config: { type: "string" } });
  if (values.help) {
    console.log(WORKER_HELP);
    return 0;
  }
  const db = await openDatabase(env, console.log);
  await applyMigrations(db.url, console.log);
  connectDatabase(db.url);
  await applyConfigFile(values.config ?? env.PORTWATCH_CONFIG, console.log);
  guardAgainstConnectionLoss(console.log);
  const worker = await startCollectorWorker({
    databaseUrl: db.url,
    concurrency: env.PORTWATCH_WORKER_CONCURRENCY,
    heartbeatSeconds: env.PORTWATCH_HEARTBEAT_SECONDS,
    schedule: true,
    log: console.log,
    signingKey: () => loadSigningKey(env, { dataDir: dataDir(env) }),
  });
  console.log(`Collector worker ${worker.workerId} running (${env.PORTWATCH_WORKER_CONCURRENCY} targets at once). Ctrl-C stops it.`);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.removeAllListeners(signal);
      process.once(signal, () => resolve());
    }
  });
  console.log("Stopping the worker…");
  await worker.stop();
  await closePool();
  await disconnectDb();
  await db.close();
  return 0;
}
