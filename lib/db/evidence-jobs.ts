import "server-only";
import { getPool } from "./pool";

/**
 * The worker's side of evidence exports: claim the ones the Evidence page queued (one worker each,
 * whatever the number of processes), and the runs an export may be made from.
 */

/** Marks up to `limit` queued exports running and returns their ids: two workers never take the same one. */
export async function claimQueuedExports(limit = 4): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `UPDATE "EvidenceExport" SET "status" = 'running', "progress" = 1, "progressText" = 'Waiting for a worker'
      WHERE "id" IN (SELECT "id" FROM "EvidenceExport" WHERE "status" = 'queued' ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING "id"`,
    [limit],
  );
  return rows.map((r) => r.id);
}

export interface EvaluatedRun {
  runId: number;
  finishedAt: Date | null;
  evaluatedAt: Date;
}

/** The newest runs with a complete evaluation (what an export can be "as of"), newest first. */
export async function listEvaluatedRuns(limit = 30): Promise<EvaluatedRun[]> {
  const { rows } = await getPool().query<EvaluatedRun>(
    `SELECT e."runId", r."finishedAt", max(e."finishedAt") AS "evaluatedAt"
       FROM "Evaluation" e JOIN "CollectionRun" r ON r."id" = e."runId"
      WHERE e."status" = 'complete'
      GROUP BY e."runId", r."finishedAt"
      ORDER BY e."runId" DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
