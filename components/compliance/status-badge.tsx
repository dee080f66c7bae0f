import type { ResultStatus } from "@/lib/compliance/types";
import styles from "./compliance.module.css";

/** Human words for each status; the text is always shown, the colour only repeats it. */
export const STATUS_LABELS: Record<ResultStatus, string> = {
  PASS: "PASS",
  FAIL: "FAIL",
  ERROR: "ERROR",
  MANUAL: "MANUAL",
  INHERITED: "INHERITED",
  NOT_APPLICABLE: "NOT APPLICABLE",
  EXCEPTED: "EXCEPTED",
};

/** A compliance status as a coloured label (each status its own colour; EXCEPTED and ERROR never look like PASS or FAIL). */
export function StatusBadge({ status }: { status: ResultStatus | (string & {}) | null }) {
  if (!status) return <span className={`${styles.badge} ${styles.NONE}`}>NO RESULTS</span>;
  return <span className={`${styles.badge} ${statusClassName(status)}`}>{STATUS_LABELS[status as ResultStatus] ?? status}</span>;
}

/** The CSS class of a status colour, for cells that are coloured as a whole (the matrix). */
export function statusClassName(status: ResultStatus | (string & {}) | null): string {
  return (status && status in STATUS_LABELS ? styles[status] : undefined) ?? styles.NONE;
}
