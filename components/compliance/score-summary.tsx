import { formatScore, scoreOf, type StatusCounts } from "@/lib/compliance/score";
import styles from "./compliance.module.css";

/**
 * The score (spec/CONTROLS.md, Score) with the ERROR and MANUAL counts beside it: they are not
 * folded into the score, so they are always shown where the score is.
 */
export function ScoreSummary({ counts, size = "large" }: { counts: Partial<StatusCounts>; size?: "large" | "small" }) {
  const full: StatusCounts = {
    PASS: counts.PASS ?? 0,
    FAIL: counts.FAIL ?? 0,
    ERROR: counts.ERROR ?? 0,
    MANUAL: counts.MANUAL ?? 0,
    INHERITED: counts.INHERITED ?? 0,
    NOT_APPLICABLE: counts.NOT_APPLICABLE ?? 0,
    EXCEPTED: counts.EXCEPTED ?? 0,
  };
  const score = scoreOf(full);
  return (
    <span className={`${styles.score} ${size === "small" ? styles.scoreSmall : ""}`}>
      <span>
        <span className="sr-only">Score </span>
        <span className={styles.scoreValue} title={score === null ? "Nothing could be judged yet" : "(PASS + INHERITED + EXCEPTED) / judged"}>
          {formatScore(score)}
        </span>
      </span>
      <span className={styles.scoreAside}>
        <span className={`${styles.badge} ${styles.ERROR}`}>{full.ERROR} ERROR</span>
        <span className={`${styles.badge} ${styles.MANUAL}`}>{full.MANUAL} MANUAL</span>
        <span className="muted">not in the score</span>
      </span>
    </span>
  );
}
