"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ActiveRunNotice } from "@/components/tables/active-run-notice";
import { durationBetween, formatCount, formatDateTime } from "@/components/tables/format";
import { StatusBadge } from "@/components/tables/status-badge";
import type { RunDetailJson, RunTargetJson } from "@/lib/db/runs";
import { queryKeys } from "@/lib/query-keys";
import { costExplorerRequestsUsd } from "@/lib/cost/pricing";
import { formatMoney } from "@/components/cost/format";

/** How often a queued or running run is re-read; a finished one is never polled. */
const POLL_MS = 1500;

const isActive = (status: string) => status === "queued" || status === "running";

async function fetchRun(runId: number): Promise<RunDetailJson> {
  const response = await fetch(`/api/runs/${runId}`, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The server answered ${response.status}`);
  }
  return (await response.json()) as RunDetailJson;
}

function scopeText(scope: RunDetailJson["run"]["scope"]): string {
  if (!scope || typeof scope !== "object" || Array.isArray(scope)) return "every enabled account and region";
  const parts: string[] = [];
  const { accountIds, regions } = scope as { accountIds?: unknown; regions?: unknown };
  if (Array.isArray(accountIds) && accountIds.length) parts.push(`accounts ${accountIds.join(", ")}`);
  if (Array.isArray(regions) && regions.length) parts.push(`regions ${regions.join(", ")}`);
  return parts.length ? parts.join("; ") : "every enabled account and region";
}

function targetDuration(target: RunTargetJson): string {
  if (target.finishedAt) return durationBetween(target.startedAt, target.finishedAt);
  return target.status === "running" && target.startedAt ? `since ${formatDateTime(target.startedAt).slice(11)}` : "—";
}

/** The run's summary, progress and targets, re-read every 1.5 s while the run is queued or running. */
export function RunProgress({ initial }: { initial: RunDetailJson }) {
  const router = useRouter();
  const runId = initial.run.id;
  const query = useQuery({
    queryKey: queryKeys.runs.detail(runId),
    queryFn: () => fetchRun(runId),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.run.status) ? POLL_MS : false),
    refetchIntervalInBackground: false,
  });
  const { run, targets, visibleRunId } = query.data;

  // When the run finishes, re-render the server parts (its errors, the snapshot notice) once.
  const [startedActive] = useState(() => isActive(initial.run.status));
  const finishedHere = startedActive && !isActive(run.status);
  useEffect(() => {
    if (finishedHere) router.refresh();
  }, [finishedHere, router]);

  const finished = targets.filter((t) => t.status === "done" || t.status === "failed").length;
  const failed = targets.filter((t) => t.status === "failed").length;
  const running = targets.filter((t) => t.status === "running").length;
  const total = Math.max(run.targetsTotal, targets.length);
  const percent = total ? Math.round((finished / total) * 100) : 0;

  return (
    <>
      {isActive(run.status) ? <ActiveRunNotice runId={run.id} status={run.status} visibleRunId={visibleRunId} createdAt={run.createdAt} now={query.dataUpdatedAt || Date.parse(String(run.createdAt))} /> : null}
      {query.isRefetchError ? (
        <p className="form-error" role="status">
          Could not refresh the progress: {query.error.message}. Retrying.
        </p>
      ) : null}
      <section className="card" aria-label="Summary">
        <dl className="facts">
          <div className="fact-row">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={run.status} />
              {run.error ? <span className="text-danger"> {run.error}</span> : null}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Trigger</dt>
            <dd>
              {run.trigger}
              {run.trigger === "manual" ? ` by ${run.requestedBy}` : ""}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Scope</dt>
            <dd>{scopeText(run.scope)}</dd>
          </div>
          <div className="fact-row">
            <dt>Queued</dt>
            <dd>{formatDateTime(run.createdAt)}</dd>
          </div>
          <div className="fact-row">
            <dt>Started</dt>
            <dd>{formatDateTime(run.startedAt, "not yet")}</dd>
          </div>
          <div className="fact-row">
            <dt>Finished</dt>
            <dd>
              {formatDateTime(run.finishedAt, isActive(run.status) ? "not yet" : "—")}
              {run.finishedAt ? ` (took ${durationBetween(run.startedAt ?? run.createdAt, run.finishedAt)})` : ""}
            </dd>
          </div>
          <div className="fact-row">
            <dt>AWS calls</dt>
            <dd>
              {formatCount(run.calls)} sent, {formatCount(run.throttled)} throttled, {formatCount(run.failedCalls)} failed for good
            </dd>
          </div>
          <div className="fact-row">
            <dt>Cost Explorer</dt>
            <dd>
              {formatCount(run.costExplorerRequests)} requests ({formatMoney(costExplorerRequestsUsd(run.costExplorerRequests))})
            </dd>
          </div>
          <div className="fact-row">
            <dt>Rows written</dt>
            <dd>{formatCount(run.rowsWritten)}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-label="Progress">
        <h2>Progress</h2>
        <div className="progress" role="progressbar" aria-label="Targets finished" aria-valuemin={0} aria-valuemax={total} aria-valuenow={finished} aria-valuetext={`${finished} of ${total} targets finished`}>
          <div className="progress-done" style={{ width: `${total ? ((finished - failed) / total) * 100 : 0}%` }} />
          <div className="progress-failed" style={{ width: `${total ? (failed / total) * 100 : 0}%` }} />
        </div>
        <p className="small" data-testid="run-counts">
          {formatCount(finished)} of {formatCount(total)} targets finished ({percent} %): {formatCount(finished - failed)} done,{" "}
          {formatCount(failed)} failed, {formatCount(running)} running, {formatCount(Math.max(total - finished - running, 0))} waiting.
        </p>
      </section>

      <h2>Targets</h2>
      {targets.length === 0 ? (
        <p className="muted">{isActive(run.status) ? "The targets appear when a worker plans the run." : "This run had no targets."}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Targets of run #{run.id}</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Duration</th>
                <th scope="col" className="num">Calls</th>
                <th scope="col" className="num">Throttled</th>
                <th scope="col" className="num">Errors</th>
                <th scope="col">Fatal error</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((target) => (
                <tr key={target.id}>
                  <td className="mono">{target.accountId}</td>
                  <td>{target.region}</td>
                  <td>{target.kind === "cost" ? "Cost Explorer" : "region"}</td>
                  <td>
                    <StatusBadge status={target.status} />
                  </td>
                  <td className="num">{target.attempts}</td>
                  <td className="nowrap">{targetDuration(target)}</td>
                  <td className="num">{formatCount(target.calls)}</td>
                  <td className="num">{formatCount(target.throttled)}</td>
                  <td className="num">{formatCount(target.errorCount)}</td>
                  <td>
                    {target.errorName || target.error ? (
                      <>
                        <span className="mono">
                          {target.errorName ?? "Error"}
                          {target.errorOperation ? ` in ${target.errorOperation}` : ""}
                        </span>
                        {target.error ? <div className="small">{target.error}</div> : null}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
