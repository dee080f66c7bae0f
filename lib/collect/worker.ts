import PgBoss from "pg-boss";
import { collectCallerPrincipal } from "@/lib/aws/caller-identity";
import type { ClientOptions } from "@/lib/aws/clients";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { recordPortwatchPrincipal } from "@/lib/db/installation";
import { pruneSupersededVersions } from "@/lib/db/inventory-retention";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { isConnectionLost } from "@/lib/db/connection-errors";
import { failAbandonedTargets, finishRunIfDone, listOrphanedTargets, listQueuedRunIds, listRunsToFinish, type TargetRow } from "@/lib/db/collection-targets";
import { evaluateRun, findRunToEvaluate } from "@/lib/db/evaluations";
import { claimQueuedExports } from "@/lib/db/evidence-jobs";
import { registerSigningKey } from "@/lib/db/evidence-exports";
import type { SigningKey } from "@/lib/evidence/signing-key";
import { runEvidenceExport } from "@/lib/jobs/evidence-export";
import { getSettings } from "@/lib/db/settings";
import { isAppError } from "@/lib/errors";
import { type CollectorContext, createCollectorContext } from "./collector-context";
import { accountLimiter } from "./account-limiter";
import { planRun } from "./plan-run";
import { workTarget } from "./work-target";

/**
 * The collector's worker: pg-boss jobs, one per target, in the same PostgreSQL as everything
 * else, so any number of worker processes on any number of machines share the work. Each process
 * also plans queued runs, resends the jobs of targets whose worker died, and (when asked) starts
 * runs on the schedule in Settings.
 */

const TARGET_QUEUE = "portwatch-collect-target";
const SCHEDULE_QUEUE = "portwatch-collect-schedule";
/** Evaluation of a finished run against the framework packs: one queued and one active at most. */
const EVALUATE_QUEUE = "portwatch-evaluate";
/** Evidence exports queued from the Evidence page: any worker makes each one once. */
const EXPORT_QUEUE = "portwatch-evidence-export";
const PLAN_INTERVAL_MS = 1500;
/** A target whose worker died this many times is failed rather than resumed again. */
const MAX_WORKER_DEATHS = 5;
/** An account's regions worked at once by one process: its rate limits are per account and region, some per account. */
const ACCOUNT_CONCURRENCY = 4;
/** Days superseded inventory versions are kept (any snapshot in the window stays readable). */
const HISTORY_DAYS = 90;
const PRUNE_EVERY_MS = 3_600_000;

interface TargetJob {
  runId: number;
  targetId: number;
  /** Absent in jobs queued before it was added: then no per-account limit applies. */
  accountId?: string;
}

export interface CollectorWorker {
  workerId: string;
  /** Plans a queued run now and sends its jobs (instead of waiting for the next tick). */
  startRun(runId: number): Promise<number>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  databaseUrl: string;
  /** Targets worked at once by this process. */
  concurrency: number;
  heartbeatSeconds: number;
  /** Targets of one account this process works at once (default 4). */
  accountConcurrency?: number;
  /** Start runs on the Settings schedule (serve and worker do; `collect` does not). */
  schedule: boolean;
  log: (line: string) => void;
  /**
   * The evidence signing key (read or made on first use). A worker given one also makes the
   * evidence exports queued from the Evidence page; `collect` gives none and leaves them.
   */
  signingKey?: () => Promise<SigningKey>;
  /** Timeouts and retries of the worker's AWS clients (default: 30 s a request, 5 attempts). */
  awsClient?: ClientOptions;
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, "name"> = {}): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (error) {
    // Another process created it between the check and here.
    if (!(await boss.getQueue(name))) throw error;
  }
}

async function sendTargets(boss: PgBoss, targets: TargetRow[]): Promise<void> {
  if (!targets.length) return;
  // The Cost Explorer target is the longest (paced at ~5 requests a second): it goes first.
  await boss.insert(
    targets.map((t) => ({ name: TARGET_QUEUE, priority: t.kind === "cost" ? 10 : 0, data: { runId: t.runId, targetId: t.id, accountId: t.kind === "region" ? t.accountId : undefined } satisfies TargetJob })),
  );
}

/**
 * pg-boss marks a job complete or failed without waiting for the answer, so while the database is
 * down (restarting, failing over) those writes reject with nobody to hear; and a pg client checked
 * out when the server goes away emits an "error" event nobody listens to. Either ends a Node
 * process. A worker outlives its database's restart: such an error is logged and the worker goes
 * on (the target's claim lapses and it is resent once the database is back). Anything else is a
 * bug and still ends the process. Installed by the long-running commands (`worker`, `serve`), not
 * by tests or one-shot commands, whose unexpected errors should surface as they are.
 */
let connectionLossGuard: ((reason: unknown) => void) | undefined;
export function guardAgainstConnectionLoss(log: (line: string) => void): void {
  if (connectionLossGuard) return;
  connectionLossGuard = (reason: unknown) => {
    if (isConnectionLost(reason)) {
      log(`worker: lost the database connection (${reason instanceof Error ? reason.message : String(reason)}); carrying on, and retrying when it is back`);
      return;
    }
    log(`worker: unexpected error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
    process.exit(1);
  };
  process.on("unhandledRejection", connectionLossGuard);
  process.on("uncaughtException", connectionLossGuard);
}

export async function startCollectorWorker(options: WorkerOptions): Promise<CollectorWorker> {
  const context: CollectorContext = createCollectorContext({ heartbeatSeconds: options.heartbeatSeconds, client: options.awsClient });
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: "pgboss",
    application_name: "portwatch-worker",
    max: Math.min(4 + options.concurrency, 20),
    schedule: options.schedule,
  });
  boss.on("error", (error) => options.log(`worker: queue error: ${error.message}`));
  await boss.start();
  // A job's own retries cover a database hiccup; a killed worker is covered by heartbeats
  // (its targets are resent), so the job's expiry can be generous.
  await ensureQueue(boss, TARGET_QUEUE, { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 3 * 3600 });
  await ensureQueue(boss, SCHEDULE_QUEUE, { retryLimit: 0 });
  await ensureQueue(boss, EVALUATE_QUEUE, { policy: "stately", retryLimit: 2, retryDelay: 10, expireInSeconds: 3600 });
  // A worker that dies mid-export leaves its job to expire and be retried by another.
  await ensureQueue(boss, EXPORT_QUEUE, { retryLimit: 2, retryDelay: 5, expireInSeconds: 900 });

  // Best effort, not awaited: the Accounts page names this principal in the trust policy.
  void collectCallerPrincipal()
    .then((result) =>
      "principal" in result
        ? recordPortwatchPrincipal(result.principal)
        : options.log(`worker: could not tell which AWS principal Portwatch runs as (${result.failure.errorName}: ${result.failure.message}); the trust policy shows a placeholder`),
    )
    .catch(() => undefined);

  const startRun = async (runId: number): Promise<number> => {
    const targets = await planRun(runId, context);
    if (!targets) return 0;
    await sendTargets(boss, targets);
    if (targets.length) options.log(`Run #${runId}: ${targets.length} targets queued.`);
    return targets.length;
  };

  const perAccount = accountLimiter(options.accountConcurrency ?? ACCOUNT_CONCURRENCY);
  for (let i = 0; i < options.concurrency; i++) {
    await boss.work<TargetJob>(TARGET_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
      try {
        await perAccount(job.data.accountId, () => workTarget(job.data.targetId, context));
      } catch (error) {
        // Not an AWS answer (those are recorded on the target): the database or a bug. The job is
        // retried, and the target's claim lapses so any worker can take it.
        options.log(`worker: run #${job.data.runId} target ${job.data.targetId} stopped: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    });
  }

  await boss.work<{ runId: number }>(EVALUATE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    const summary = await evaluateRun(job.data.runId, { reason: "run finished", requestedBy: "system", reuse: true });
    if (!summary.reused) options.log(`Run #${summary.runId} evaluated: ${summary.resultCount} results (${summary.counts.FAIL} FAIL, ${summary.counts.ERROR} ERROR) in ${Math.round(summary.totalMs)} ms.`);
  });

  // The signing key is read (or made, on the first export ever) when an export needs it; its public
  // half is registered so every process, and `portwatch verify`, knows it.
  const loadKey = options.signingKey;
  let signingKey: Promise<SigningKey> | undefined;
  if (loadKey) {
    const getSigningKey = () =>
      (signingKey ??= loadKey().then(async (key) => {
        await registerSigningKey(key.publicKeyPem, key.keyId);
        return key;
      }));
    await boss.work<{ exportId: string }>(EXPORT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      await runEvidenceExport(job.data.exportId, await getSigningKey());
      options.log(`Evidence export ${job.data.exportId} made.`);
    });
  }

  let stopped = false;
  const guard = (what: string, fn: () => Promise<unknown>) => () => {
    if (stopped) return;
    fn().catch((error: unknown) => options.log(`worker: ${what} failed: ${error instanceof Error ? error.message : String(error)}`));
  };
  let planning = false;
  const planTick = setInterval(
    guard("planning queued runs", async () => {
      if (planning) return;
      planning = true;
      try {
        for (const runId of await listQueuedRunIds()) await startRun(runId);
        const finished = await findRunToEvaluate();
        if (finished !== null) await boss.send(EVALUATE_QUEUE, { runId: finished });
        if (loadKey) for (const exportId of await claimQueuedExports()) await boss.send(EXPORT_QUEUE, { exportId });
      } finally {
        planning = false;
      }
    }),
    PLAN_INTERVAL_MS,
  );
  let lastPrune = 0;
  const recoverTick = setInterval(
    guard("recovering targets", async () => {
      const abandoned = await failAbandonedTargets(options.heartbeatSeconds * 3, MAX_WORKER_DEATHS);
      if (abandoned.length) options.log(`worker: gave up on targets of run(s) ${abandoned.map((id) => `#${id}`).join(", ")} whose workers kept stopping`);
      const orphans = await listOrphanedTargets(options.heartbeatSeconds * 3);
      if (orphans.length) {
        options.log(`worker: resuming ${orphans.length} target(s) whose worker stopped`);
        await sendTargets(boss, orphans);
      }
      for (const runId of await listRunsToFinish()) await finishRunIfDone(runId);
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        const removed = await pruneSupersededVersions(HISTORY_DAYS);
        if (removed) options.log(`worker: removed ${removed} inventory version(s) superseded more than ${HISTORY_DAYS} days ago`);
      }
    }),
    options.heartbeatSeconds * 1000,
  );

  let scheduledCron: string | undefined;
  const scheduleTick = options.schedule
    ? setInterval(
        guard("updating the schedule", async () => {
          const cron = (await getSettings()).collectSchedule;
          if (cron === scheduledCron) return;
          await boss.schedule(SCHEDULE_QUEUE, cron, {}, { tz: "UTC" });
          scheduledCron = cron;
        }),
        30_000,
      )
    : undefined;
  if (options.schedule) {
    const cron = (await getSettings()).collectSchedule;
    await boss.schedule(SCHEDULE_QUEUE, cron, {}, { tz: "UTC" });
    scheduledCron = cron;
    await boss.work(SCHEDULE_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
      try {
        const { runId } = await createCollectionRun({ trigger: "schedule", actor: SYSTEM_ACTOR });
        await startRun(runId);
      } catch (error) {
        if (isAppError(error) && error.code === "conflict") options.log(`Scheduled collection skipped: ${error.message}`);
        else throw error;
      }
    });
  }

  return {
    workerId: context.workerId,
    startRun,
    async stop() {
      stopped = true;
      clearInterval(planTick);
      clearInterval(recoverTick);
      if (scheduleTick) clearInterval(scheduleTick);
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
      context.close();
    },
  };
}
