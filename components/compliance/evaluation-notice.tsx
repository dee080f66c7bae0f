import Link from "next/link";
import { formatDateTime } from "@/components/tables/format";

interface EvaluationInfo {
  id: number;
  runId: number;
  asOf: Date;
  reason: string;
  stale: boolean;
  visibleRunId: number | null;
}

/** Which evaluation a compliance page shows, and whether a newer run is still being evaluated. */
export function EvaluationNotice({ evaluation }: { evaluation: EvaluationInfo }) {
  return (
    <>
      {evaluation.stale ? (
        <p className="notice" role="status" data-testid="compliance-stale">
          <strong>Results are stale:</strong> run{" "}
          {evaluation.visibleRunId !== null ? <Link href={`/runs/${evaluation.visibleRunId}`}>#{evaluation.visibleRunId}</Link> : null} is still being
          evaluated. Until it is, these results are from run <Link href={`/runs/${evaluation.runId}`}>#{evaluation.runId}</Link>.
        </p>
      ) : null}
      <p className="small muted">
        Evaluation #{evaluation.id} of run <Link href={`/runs/${evaluation.runId}`}>#{evaluation.runId}</Link>, as of {formatDateTime(evaluation.asOf)} ({evaluation.reason}).
      </p>
    </>
  );
}
