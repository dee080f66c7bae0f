import type { StatusCounts } from "@/lib/compliance/score";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import styles from "./compliance.module.css";
import { STATUS_LABELS } from "./status-badge";

/** Statuses in the order a reader must see them (the worst first), as worstStatus orders them. */
export const STATUS_ORDER: readonly ResultStatus[] = ["FAIL", "ERROR", "MANUAL", "EXCEPTED", "PASS", "INHERITED", "NOT_APPLICABLE"];

/** The non-zero counts, worst first: [["FAIL", 3], ["PASS", 12]]. */
export function nonZeroCounts(counts: Partial<StatusCounts>): [ResultStatus, number][] {
  return STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => [s, counts[s] ?? 0]);
}

/** "3 FAIL · 12 PASS" (worst first); "no results" when every count is zero. */
export function countsText(counts: Partial<StatusCounts>): string {
  const parts = nonZeroCounts(counts).map(([s, n]) => `${n} ${STATUS_LABELS[s]}`);
  return parts.length ? parts.join(" · ") : "no results";
}

/** Every status with its count (zeros included when `all`), each in its own colour and word. */
export function StatusCountList({ counts, all = false, label }: { counts: Partial<StatusCounts>; all?: boolean; label?: string }) {
  const entries: [ResultStatus, number][] = all ? RESULT_STATUSES.map((s) => [s, counts[s] ?? 0]) : nonZeroCounts(counts);
  if (entries.length === 0) return <span className="muted">no results</span>;
  return (
    <ul className={styles.counts} aria-label={label ?? "Results per status"}>
      {entries.map(([status, n]) => (
        <li key={status} className={`${styles.badge} ${styles[status]}`}>
          {n} {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}
