import type { ResultStatus } from "./types";

export type StatusCounts = Record<ResultStatus, number>;

export function emptyCounts(): StatusCounts {
  return { PASS: 0, FAIL: 0, ERROR: 0, MANUAL: 0, INHERITED: 0, NOT_APPLICABLE: 0, EXCEPTED: 0 };
}

export function addCounts(into: StatusCounts, from: Partial<StatusCounts>): StatusCounts {
  for (const key of Object.keys(into) as ResultStatus[]) into[key] += from[key] ?? 0;
  return into;
}

/**
 * spec/CONTROLS.md, Score: (PASS + INHERITED + EXCEPTED) / (all - NOT_APPLICABLE - ERROR - MANUAL),
 * as a fraction in [0, 1]; null when nothing could be judged (so no score is invented). ERROR and
 * MANUAL are shown beside it by the callers, never folded into it.
 */
export function scoreOf(counts: StatusCounts): number | null {
  const judged = counts.PASS + counts.INHERITED + counts.EXCEPTED + counts.FAIL;
  if (judged === 0) return null;
  return (counts.PASS + counts.INHERITED + counts.EXCEPTED) / judged;
}

/** "87.5%" or "n/a" (nothing judged). Floors, so 99.96% never shows as 100%. */
export function formatScore(score: number | null): string {
  if (score === null) return "n/a";
  const tenths = Math.floor(score * 1000) / 10;
  return `${tenths.toFixed(1)}%`;
}

/** The worst status among counts, in the order a reader must see first. */
export function worstStatus(counts: Partial<StatusCounts>): ResultStatus | null {
  for (const status of ["FAIL", "ERROR", "MANUAL", "EXCEPTED", "PASS", "INHERITED", "NOT_APPLICABLE"] as const) {
    if ((counts[status] ?? 0) > 0) return status;
  }
  return null;
}
