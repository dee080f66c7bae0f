import "server-only";
import { getDb } from "./client";

/**
 * Which collection readers see. Inventory rows are versioned by run id: a row belongs to the
 * snapshot of run V when validFrom <= V and (validTo IS NULL OR validTo > V). V is the newest
 * run that finished (complete or partial), so a run still being written is never half-shown.
 */
export async function getVisibleRunId(): Promise<number | null> {
  const run = await getDb().collectionRun.findFirst({
    where: { status: { in: ["complete", "partial"] } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return run?.id ?? null;
}

/** The SQL predicate for "this row is in run $n's snapshot"; `alias` is the table alias. */
export function inSnapshotSql(alias: string, parameter: string): string {
  return `${alias}."validFrom" <= ${parameter} AND (${alias}."validTo" IS NULL OR ${alias}."validTo" > ${parameter})`;
}

/** The same rule as a Prisma where clause. */
export function inSnapshot(runId: number) {
  return { validFrom: { lte: runId }, OR: [{ validTo: null }, { validTo: { gt: runId } }] };
}
