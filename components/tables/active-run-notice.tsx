import Link from "next/link";

/** What a reader sees while a run is being written: the last finished snapshot, never a half-written one. */
export function ActiveRunNotice({ runId, status, visibleRunId }: { runId: number; status: string; visibleRunId: number | null }) {
  return (
    <p className="notice" role="status" data-testid="active-run">
      <Link href={`/runs/${runId}`}>Run #{runId} in progress</Link>
      {status === "queued" ? " (queued, waiting for a worker)" : ""}:{" "}
      {visibleRunId !== null ? `readers still see run #${visibleRunId}'s data until it finishes.` : "its data appears when it finishes."}
    </p>
  );
}
