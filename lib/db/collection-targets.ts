import "server-only";
import type { AwsFailure, CallStats } from "@/lib/aws/types";
import type { RunScope } from "./collection-runs";
import type { PoolClient } from "pg";
import { getPool, inTransaction } from "./pool";

/**
 * The life of a run's targets in the database. Every state change is one conditional UPDATE, so
 * several workers (in several processes or machines) can share a run without coordination: a
 * target is worked by whoever claims it, and a claim whose worker stopped sending heartbeats
 * can be taken over.
 */

export interface TargetRow {
  id: number;
  runId: number;
  kind: "region" | "cost";
  accountId: string;
  region: string;
  attempts: number;
}

export interface PlannedTarget {
  kind: "region" | "cost";
  accountId: string;
  region: string;
}

/** Takes a queued run: marks it running. Null when another worker took it first. */
export async function startQueuedRun(runId: number): Promise<{ scope: RunScope } | null> {
  const { rows } = await getPool().query<{ scope: RunScope }>(
    `UPDATE "CollectionRun" SET "status" = 'running', "startedAt" = now() WHERE "id" = $1 AND "status" = 'queued' RETURNING "scope"`,
    [runId],
  );
  return rows[0] ?? null;
}

export async function listQueuedRunIds(): Promise<number[]> {
  const { rows } = await getPool().query<{ id: number }>(`SELECT "id" FROM "CollectionRun" WHERE "status" = 'queued' ORDER BY "id"`);
  return rows.map((r) => r.id);
}

/** Creates the run's targets (idempotent) and returns them in the order jobs should be sent. */
export async function createTargets(runId: number, targets: PlannedTarget[]): Promise<TargetRow[]> {
  return inTransaction(async (client) => {
    await client.query(
      `INSERT INTO "CollectionTarget" ("runId", "kind", "accountId", "region")
       SELECT $1, k::"TargetKind", a, r FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(k, a, r, n) ORDER BY n
       ON CONFLICT ("runId", "accountId", "region") DO NOTHING`,
      [runId, targets.map((t) => t.kind), targets.map((t) => t.accountId), targets.map((t) => t.region)],
    );
    await client.query(`UPDATE "CollectionRun" SET "targetsTotal" = (SELECT count(*) FROM "CollectionTarget" WHERE "runId" = $1) WHERE "id" = $1`, [runId]);
    const { rows } = await client.query<TargetRow>(
      `SELECT "id", "runId", "kind", "accountId", "region", "attempts" FROM "CollectionTarget" WHERE "runId" = $1 ORDER BY "id"`,
      [runId],
    );
    return rows;
  });
}

/** A run that could not start (nothing to collect): failed, with the reason. */
export async function failRun(runId: number, reason: string): Promise<void> {
  await getPool().query(`UPDATE "CollectionRun" SET "status" = 'failed', "error" = $2, "finishedAt" = now() WHERE "id" = $1 AND "status" IN ('queued', 'running')`, [runId, reason]);
}

/**
 * Claims a target for this worker: pending, or running under a worker silent for staleSeconds
 * (its process died). Null when it is done, failed, or someone else is working it.
 */
export async function claimTarget(targetId: number, workerId: string, staleSeconds: number): Promise<TargetRow | null> {
  const { rows } = await getPool().query<TargetRow>(
    `UPDATE "CollectionTarget" t
        SET "status" = 'running', "workerId" = $2, "heartbeatAt" = now(), "startedAt" = coalesce(t."startedAt", now()), "attempts" = t."attempts" + 1
       FROM "CollectionRun" r
      WHERE t."id" = $1 AND r."id" = t."runId" AND r."status" = 'running'
        AND (t."status" = 'pending' OR (t."status" = 'running' AND t."heartbeatAt" < now() - make_interval(secs => $3)))
      RETURNING t."id", t."runId", t."kind", t."accountId", t."region", t."attempts"`,
    [targetId, workerId, staleSeconds],
  );
  return rows[0] ?? null;
}

export async function heartbeatTargets(targetIds: number[], workerId: string): Promise<void> {
  if (!targetIds.length) return;
  await getPool().query(`UPDATE "CollectionTarget" SET "heartbeatAt" = now() WHERE "id" = ANY($1::int4[]) AND "workerId" = $2 AND "status" = 'running'`, [targetIds, workerId]);
}

export interface TargetOutcome {
  status: "done" | "failed";
  stats: CallStats;
  rowsWritten: number;
  failures: AwsFailure[];
  /** For a failed target: what stopped it. */
  fatal?: { errorName: string; operation: string; message: string };
}

/**
 * Records a target's outcome and its AWS failures (replacing an earlier attempt's), and finishes
 * the run when it was the last target. False when the claim was lost (another worker took over).
 */
export async function finishTarget(target: TargetRow, workerId: string, outcome: TargetOutcome): Promise<boolean> {
  const finished = await inTransaction(async (client) => {
    // Finishers of one run take turns: each recount then sees the targets finished before it.
    await client.query(`SELECT 1 FROM "CollectionRun" WHERE "id" = $1 FOR UPDATE`, [target.runId]);
    const { rowCount } = await client.query(
      `UPDATE "CollectionTarget"
          SET "status" = $3::"TargetStatus", "finishedAt" = now(), "calls" = "calls" + $4, "throttled" = "throttled" + $5, "failedCalls" = "failedCalls" + $6,
              "errorCount" = $7, "rowsWritten" = "rowsWritten" + $8, "errorName" = $9, "errorOperation" = $10, "error" = $11
        WHERE "id" = $1 AND "workerId" = $2 AND "status" = 'running'`,
      [
        target.id,
        workerId,
        outcome.status,
        outcome.stats.calls,
        outcome.stats.throttled,
        outcome.stats.failed,
        outcome.failures.length,
        outcome.rowsWritten,
        outcome.fatal?.errorName ?? null,
        outcome.fatal?.operation ?? null,
        outcome.fatal?.message ?? null,
      ],
    );
    if (!rowCount) return false;
    await client.query(`DELETE FROM "CollectionError" WHERE "targetId" = $1`, [target.id]);
    const failures = outcome.failures;
    if (failures.length) {
      await client.query(
        `INSERT INTO "CollectionError" ("runId", "targetId", "accountId", "region", "service", "operation", "resource", "errorName", "kind", "message")
         SELECT $1, $2, a, r, s, o, res, e, k, m FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS x(a, r, s, o, res, e, k, m)`,
        [
          target.runId,
          target.id,
          failures.map((f) => f.accountId),
          failures.map((f) => f.region),
          failures.map((f) => f.service),
          failures.map((f) => f.operation),
          failures.map((f) => f.resource ?? null),
          failures.map((f) => f.errorName),
          failures.map((f) => f.kind),
          failures.map((f) => f.message.slice(0, 2000)),
        ],
      );
    }
    await refreshRunCounters(client, target.runId);
    return true;
  });
  if (finished) await finishRunIfDone(target.runId);
  return finished;
}

/** Records failures that belong to the run rather than a target (e.g. Organizations discovery). */
export async function recordRunFailures(runId: number, failures: AwsFailure[]): Promise<void> {
  for (const f of failures) {
    await getPool().query(
      `INSERT INTO "CollectionError" ("runId", "accountId", "region", "service", "operation", "resource", "errorName", "kind", "message") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [runId, f.accountId, f.region, f.service, f.operation, f.resource ?? null, f.errorName, f.kind, f.message.slice(0, 2000)],
    );
  }
}

async function refreshRunCounters(client: PoolClient, runId: number): Promise<void> {
  await client.query(
    `UPDATE "CollectionRun" r SET
        "targetsDone" = s.done, "targetsFailed" = s.failed, "calls" = s.calls, "throttled" = s.throttled,
        "failedCalls" = s."failedCalls", "costExplorerRequests" = s.ce, "rowsWritten" = s.rows
       FROM (SELECT count(*) FILTER (WHERE "status" IN ('done', 'failed'))::int AS done,
                    count(*) FILTER (WHERE "status" = 'failed')::int AS failed,
                    coalesce(sum("calls"), 0)::int AS calls, coalesce(sum("throttled"), 0)::int AS throttled,
                    coalesce(sum("failedCalls"), 0)::int AS "failedCalls",
                    coalesce(sum("calls") FILTER (WHERE "kind" = 'cost'), 0)::int AS ce,
                    coalesce(sum("rowsWritten"), 0)::int AS rows
               FROM "CollectionTarget" WHERE "runId" = $1) s
      WHERE r."id" = $1`,
    [runId],
  );
}

/**
 * Finishes a running run whose targets are all done or failed: complete when nothing failed,
 * partial when some target or call failed, failed when no target was collected.
 */
export async function finishRunIfDone(runId: number): Promise<string | null> {
  return inTransaction(async (client) => {
    // The run row's lock first: every statement after it sees every finisher that committed
    // before, so the counters written here are never short of the status decided here.
    await client.query(`SELECT 1 FROM "CollectionRun" WHERE "id" = $1 FOR UPDATE`, [runId]);
    await refreshRunCounters(client, runId);
    const { rows } = await client.query<{ status: string }>(
      `UPDATE "CollectionRun" r SET "finishedAt" = now(), "status" = (CASE
          WHEN s.total > 0 AND s.failed = s.total THEN 'failed'
          WHEN s.failed > 0 OR s.errors > 0 THEN 'partial'
          ELSE 'complete' END)::"RunStatus",
          "error" = CASE WHEN s.total > 0 AND s.failed = s.total THEN 'every target failed; see the targets for the reasons' ELSE r."error" END
         FROM (SELECT count(*)::int AS total,
                      count(*) FILTER (WHERE "status" = 'failed')::int AS failed,
                      count(*) FILTER (WHERE "status" IN ('pending', 'running'))::int AS open,
                      (SELECT count(*)::int FROM "CollectionError" e WHERE e."runId" = $1) AS errors
                 FROM "CollectionTarget" WHERE "runId" = $1) s
        WHERE r."id" = $1 AND r."status" = 'running' AND s.open = 0 AND s.total > 0
        RETURNING r."status"`,
      [runId],
    );
    return rows[0]?.status ?? null;
  });
}

/**
 * Targets whose work was lost: running under a silent worker, or pending for a while in a
 * running run (their job was never sent, or was lost). Their jobs are sent again; claiming
 * makes a duplicate job harmless.
 */
export async function listOrphanedTargets(staleSeconds: number): Promise<TargetRow[]> {
  const { rows } = await getPool().query<TargetRow>(
    `SELECT t."id", t."runId", t."kind", t."accountId", t."region", t."attempts"
       FROM "CollectionTarget" t JOIN "CollectionRun" r ON r."id" = t."runId"
      WHERE r."status" = 'running'
        AND ((t."status" = 'running' AND t."heartbeatAt" < now() - make_interval(secs => $1))
          OR (t."status" = 'pending' AND r."startedAt" < now() - make_interval(secs => $1 * 2)))
      ORDER BY t."id" LIMIT 1000`,
    [staleSeconds],
  );
  return rows;
}

/**
 * Targets whose workers died while holding them `maxAttempts` times (a worker killed by the
 * system for memory, say): failed with the reason instead of being resumed forever.
 */
export async function failAbandonedTargets(staleSeconds: number, maxAttempts: number): Promise<number[]> {
  const { rows } = await getPool().query<{ runId: number }>(
    `UPDATE "CollectionTarget" SET "status" = 'failed', "finishedAt" = now(), "errorName" = 'WorkerStopped', "errorOperation" = 'portwatch:collect',
            "error" = 'the worker collecting this target stopped ' || "attempts" || ' times without finishing (killed, or out of memory?); see the worker logs'
      WHERE "status" = 'running' AND "attempts" >= $2 AND "heartbeatAt" < now() - make_interval(secs => $1)
      RETURNING "runId"`,
    [staleSeconds, maxAttempts],
  );
  const runIds = [...new Set(rows.map((r) => r.runId))];
  for (const runId of runIds) await finishRunIfDone(runId);
  return runIds;
}

/** Running runs with no open target left (a finisher died between its two steps). */
export async function listRunsToFinish(): Promise<number[]> {
  const { rows } = await getPool().query<{ id: number }>(
    `SELECT r."id" FROM "CollectionRun" r WHERE r."status" = 'running'
        AND EXISTS (SELECT 1 FROM "CollectionTarget" t WHERE t."runId" = r."id")
        AND NOT EXISTS (SELECT 1 FROM "CollectionTarget" t WHERE t."runId" = r."id" AND t."status" IN ('pending', 'running'))`,
  );
  return rows.map((r) => r.id);
}

export interface RunProgress {
  id: number;
  status: string;
  targetsTotal: number;
  targetsDone: number;
  targetsFailed: number;
  calls: number;
  throttled: number;
  failedCalls: number;
  costExplorerRequests: number;
  rowsWritten: number;
  errorCount: number;
  error: string | null;
}

export async function getRunProgress(runId: number): Promise<RunProgress | null> {
  const { rows } = await getPool().query<RunProgress>(
    `SELECT r."id", r."status", r."targetsTotal", r."targetsDone", r."targetsFailed", r."calls", r."throttled", r."failedCalls",
            r."costExplorerRequests", r."rowsWritten", r."error",
            (SELECT count(*)::int FROM "CollectionError" e WHERE e."runId" = r."id") AS "errorCount"
       FROM "CollectionRun" r WHERE r."id" = $1`,
    [runId],
  );
  return rows[0] ?? null;
}
