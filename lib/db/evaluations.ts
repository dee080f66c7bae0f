import "server-only";
import type { PoolClient } from "pg";
import { CHECKS } from "@/lib/compliance/check-registry";
import { type AttestationFacts, Evaluator } from "@/lib/compliance/evaluate";
import type { ExceptionRule } from "@/lib/compliance/exceptions";
import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { emptyCounts, type StatusCounts } from "@/lib/compliance/score";
import type { CheckContext, ControlResult } from "@/lib/compliance/types";
import { registrySavings, type Saving } from "@/lib/cost/savings";
import { toComplianceSettings } from "@/lib/settings";
import { getEvaluationScope, listSnapshotRepositoryArns, readRegistrySnapshots } from "./compliance-facts";
import { CopyWriter, copyLine, encode } from "./copy-writer";
import { getPool } from "./pool";
import { writeRunSavings } from "./savings";
import { getSettings } from "./settings";
import { getVisibleRunId } from "./snapshot";

/**
 * Evaluates a collection run's snapshot against every framework pack and stores the results
 * (one COPY, in one transaction with the day's roll-up), so readers switch from the previous
 * evaluation to the new one at once. Evaluations of one run take turns (an advisory lock).
 */

export interface EvaluationSummary {
  evaluationId: number;
  runId: number;
  resultCount: number;
  counts: StatusCounts;
  /** Milliseconds spent deciding (checks and controls), without reading or writing. */
  evaluateMs: number;
  /** Milliseconds waiting for the snapshot's reads (not overlapped with deciding and writing). */
  readWaitMs: number;
  /** Milliseconds deciding the run's savings from the same snapshots, and storing them. */
  savingsMs: number;
  totalMs: number;
  /** True when an existing evaluation was reused (ensureRunEvaluated). */
  reused: boolean;
}

export interface EvaluateOptions {
  reason: string;
  requestedBy: string;
  /** Reuse the run's newest complete evaluation if there is one (the after-run job). */
  reuse?: boolean;
}

const LOCK_CLASS = 0x5057_4556; // "PWEV"

export async function evaluateRun(runId: number, options: EvaluateOptions): Promise<EvaluationSummary> {
  const started = performance.now();
  const pool = getPool();
  const client = await pool.connect();
  let evaluationId: number | null = null;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_CLASS, runId]);
    if (options.reuse) {
      const { rows } = await client.query<{ id: number; resultCount: number; counts: StatusCounts }>(
        `SELECT "id", "resultCount", "counts" FROM "Evaluation" WHERE "runId" = $1 AND "status" = 'complete' ORDER BY "id" DESC LIMIT 1`,
        [runId],
      );
      if (rows[0]) {
        await client.query("COMMIT");
        return { evaluationId: rows[0].id, runId, resultCount: rows[0].resultCount, counts: { ...emptyCounts(), ...rows[0].counts }, evaluateMs: 0, readWaitMs: 0, savingsMs: 0, totalMs: performance.now() - started, reused: true };
      }
    }

    const settings = await getSettings();
    const compliance = toComplianceSettings(settings);
    const scope = await getEvaluationScope(runId, settings.costExplorer !== null, compliance.crossRegionTransferDays);
    const evaluatedAt = new Date();
    const [exceptions, attestations] = await Promise.all([listExceptionRules(), listAttestationFacts()]);
    const ctx: CheckContext = { now: scope.asOf, settings: compliance, organizationAccountIds: scope.organizationAccountIds, accountEnvironments: scope.accountEnvironments };
    const evaluator = new Evaluator(FRAMEWORKS, CHECKS, ctx, exceptions, attestations, evaluatedAt);

    const { rows: inserted } = await client.query<{ id: number }>(
      `INSERT INTO "Evaluation" ("runId", "status", "reason", "requestedBy", "asOf") VALUES ($1, 'running', $2, $3, $4) RETURNING "id"`,
      [runId, options.reason, options.requestedBy, scope.asOf],
    );
    evaluationId = inserted[0].id;
    const severity = new Map(FRAMEWORKS.flatMap((f) => f.controls.map((c) => [`${f.id}/${c.id}`, c.severity] as const)));
    const counts = emptyCounts();
    let resultCount = 0;
    let evaluateMs = 0;
    let readWaitMs = 0;
    let savingsMs = 0;
    const copy = new CopyWriter(
      client,
      `COPY "ComplianceResult" ("evaluationId", "framework", "control", "resource", "scope", "accountId", "region", "severity", "status", "reason", "checks", "evidence", "exceptionId") FROM STDIN`,
    );
    const id = String(evaluationId);
    const write = async (results: ControlResult[]) => {
      for (const r of results) {
        counts[r.status] += 1;
        resultCount += 1;
        await copy.add(
          copyLine([
            id,
            r.framework,
            r.control,
            r.resource,
            r.scope,
            r.accountId,
            r.region,
            severity.get(`${r.framework}/${r.control}`) ?? "low",
            r.status,
            r.reason,
            encode("jsonb", r.checks),
            encode("jsonb", r.evidence),
            r.exceptionId,
          ]),
        );
      }
    };
    const timed = <T>(fn: () => T): T => {
      const t = performance.now();
      const value = fn();
      evaluateMs += performance.now() - t;
      return value;
    };

    // The savings list is decided from the same snapshots, as they are read (lib/cost/savings.ts).
    const savings: Saving[] = [];
    for await (const { target, snapshot, waitedMs } of readRegistrySnapshots(runId, scope.registries, (t) => t.state === "read")) {
      readWaitMs += waitedMs;
      if (snapshot) {
        await write(timed(() => evaluator.evaluateRegistry(snapshot.registry, snapshot.repositories, { runId: snapshot.collectedInRun, collectedAt: snapshot.collectedAt })));
        const deciding = performance.now();
        savings.push(...registrySavings(snapshot.registry, snapshot.repositories, scope.asOf, compliance));
        savingsMs += performance.now() - deciding;
        continue;
      }
      const repositoryArns = await listSnapshotRepositoryArns(runId, target.accountId, target.region);
      await write(
        timed(() =>
          evaluator.evaluateUnreadRegistry(
            {
              accountId: target.accountId,
              region: target.region,
              errorName: target.errorName ?? "NotCollected",
              operation: target.errorOperation ?? "portwatch:collect",
              message: target.error ?? "the registry has not been collected",
              repositoryArns,
            },
            { runId, collectedAt: null },
          ),
        ),
      );
    }
    for (const account of scope.accounts) await write(timed(() => evaluator.evaluateAccount(account, { runId, collectedAt: scope.asOf })));
    await write(timed(() => evaluator.evaluateAttestations({ runId, collectedAt: evaluatedAt })));
    await copy.end();

    await client.query(`UPDATE "Evaluation" SET "status" = 'complete', "finishedAt" = now(), "resultCount" = $2, "counts" = $3 WHERE "id" = $1`, [evaluationId, resultCount, JSON.stringify(counts)]);
    await writeRollup(client, evaluationId, runId, scope.asOf);
    // The run's earlier evaluations are superseded; runs beyond the retention keep only roll-ups.
    await client.query(`DELETE FROM "Evaluation" WHERE "runId" = $1 AND "id" <> $2`, [runId, evaluationId]);
    await client.query(
      `DELETE FROM "Evaluation" WHERE "runId" NOT IN (SELECT DISTINCT "runId" FROM "Evaluation" ORDER BY "runId" DESC LIMIT $1)`,
      [settings.resultRetentionRuns],
    );
    const storing = performance.now();
    await writeSavings(client, runId, evaluationId, savings);
    savingsMs += performance.now() - storing;
    await client.query("COMMIT");
    return { evaluationId, runId, resultCount, counts, evaluateMs, readWaitMs, savingsMs, totalMs: performance.now() - started, reused: false };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    await pool
      .query(`INSERT INTO "Evaluation" ("runId", "status", "reason", "requestedBy", "asOf", "finishedAt", "error") VALUES ($1, 'failed', $2, $3, now(), now(), $4)`, [
        runId,
        options.reason,
        options.requestedBy,
        message.slice(0, 2000),
      ])
      .catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The savings list follows every evaluation (decided from the same snapshot and settings) and is
 * committed with it, so the Savings page never shows a run's results without its savings. A
 * failure to write them is rolled back alone and logged: the previous run's savings stay shown,
 * with their run named on the page, and a sound evaluation is not marked failed.
 */
async function writeSavings(client: PoolClient, runId: number, evaluationId: number, savings: Saving[]): Promise<void> {
  await client.query("SAVEPOINT savings");
  try {
    await writeRunSavings(client, runId, savings);
    await client.query("RELEASE SAVEPOINT savings");
  } catch (error) {
    await client.query("ROLLBACK TO SAVEPOINT savings");
    console.error(`portwatch: savings for run ${runId} (evaluation ${evaluationId}) were not stored: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}

/**
 * The day's counts per framework, control, account and region, replaced by the newest
 * evaluation of the newest run of that day (an older run evaluated later leaves them alone).
 */
async function writeRollup(client: PoolClient, evaluationId: number, runId: number, asOf: Date): Promise<void> {
  const day = asOf.toISOString().slice(0, 10);
  const { rows } = await client.query<{ newer: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "ComplianceRollup" r JOIN "Evaluation" e ON e."id" = r."evaluationId" WHERE r."day" = $1::date AND e."runId" > $2) AS "newer"`,
    [day, runId],
  );
  if (rows[0]?.newer) return;
  await client.query(`DELETE FROM "ComplianceRollup" WHERE "day" = $1::date`, [day]);
  await client.query(
    `INSERT INTO "ComplianceRollup" ("day", "framework", "control", "accountId", "region", "evaluationId", "pass", "fail", "error", "manual", "inherited", "notApplicable", "excepted")
     SELECT $2::date, "framework", "control", coalesce("accountId", ''), coalesce("region", ''), $1,
            count(*) FILTER (WHERE "status" = 'PASS'), count(*) FILTER (WHERE "status" = 'FAIL'), count(*) FILTER (WHERE "status" = 'ERROR'),
            count(*) FILTER (WHERE "status" = 'MANUAL'), count(*) FILTER (WHERE "status" = 'INHERITED'),
            count(*) FILTER (WHERE "status" = 'NOT_APPLICABLE'), count(*) FILTER (WHERE "status" = 'EXCEPTED')
       FROM "ComplianceResult" WHERE "evaluationId" = $1
      GROUP BY "framework", "control", coalesce("accountId", ''), coalesce("region", '')`,
    [evaluationId, day],
  );
}

async function listExceptionRules(): Promise<ExceptionRule[]> {
  const { rows } = await getPool().query<ExceptionRule>(
    `SELECT "id", "framework", "control", "accountId", "region", "resourcePattern", "reason", "owner", "createdBy", "expiresAt", "revokedAt"
       FROM "ComplianceException" WHERE "revokedAt" IS NULL AND "expiresAt" > now()`,
  );
  return rows;
}

async function listAttestationFacts(): Promise<AttestationFacts[]> {
  const { rows } = await getPool().query<AttestationFacts>(
    `SELECT "id", "framework", "control", "attester", "attestedAt", "expiresAt", "revokedAt", "text", "fileName"
       FROM "Attestation" WHERE "revokedAt" IS NULL AND "expiresAt" > now()`,
  );
  return rows;
}

/** The newest finished run with no complete evaluation yet (the after-run job's work), if any. */
export async function findRunToEvaluate(): Promise<number | null> {
  const { rows } = await getPool().query<{ id: number }>(
    `SELECT r."id" FROM "CollectionRun" r
      WHERE r."status" IN ('complete', 'partial')
        AND r."id" = (SELECT max("id") FROM "CollectionRun" WHERE "status" IN ('complete', 'partial'))
        AND NOT EXISTS (SELECT 1 FROM "Evaluation" e WHERE e."runId" = r."id" AND e."status" = 'complete')
        AND NOT EXISTS (SELECT 1 FROM "Evaluation" e WHERE e."runId" = r."id" AND e."status" = 'failed' AND e."finishedAt" > now() - interval '5 minutes')`,
  );
  return rows[0]?.id ?? null;
}

/** Re-evaluates the visible run (after an exception, attestation or threshold changed); null when nothing was collected yet. */
export async function reevaluateVisibleRun(reason: string, requestedBy: string): Promise<EvaluationSummary | null> {
  const runId = await getVisibleRunId();
  if (runId === null) return null;
  return evaluateRun(runId, { reason, requestedBy });
}
