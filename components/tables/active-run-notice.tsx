import Link from "next/link";

/** A queued run no worker has taken for this long probably has no worker to take it. */
const UNCLAIMED_AFTER_MS = 60_000;

/** What a reader sees while a run is being written: the last finished snapshot, never a half-written one. */
export function ActiveRunNotice({ runId, status, visibleRunId, createdAt, now }: { runId: number; status: string; visibleRunId: number | null; createdAt: Date | string; now: number }) {
  const waitedMs = now - new Date(createdAt).getTime();
  return (
    <p className="notice" role="status" data-testid="active-run">
      <Link href={`/runs/${runId}`}>Run #{runId} in progress</Link>
      {status === "queued" ? " (queued, waiting for a worker)" : ""}:{" "}
      {visibleRunId !== null ? `readers still see run #${visibleRunId}'s data until it finishes.` : "its data appears when it finishes."}
      {status === "queued" && waitedMs > UNCLAIMED_AFTER_MS ? (
        <span className="text-danger">
          {" "}
          No worker has taken it for {Math.round(waitedMs / 60_000)} min: is <code>portwatch serve</code> (with its worker) or <code>portwatch worker</code> running
          against this database?
        </span>
      ) : null}
    </p>
  );
}
