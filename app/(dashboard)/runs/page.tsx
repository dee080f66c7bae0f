import type { Metadata } from "next";
import Link from "next/link";
import { durationBetween, formatCount, formatDateTime } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { ActiveRunNotice } from "@/components/tables/active-run-notice";
import { StatusBadge } from "@/components/tables/status-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE, type Role } from "@/lib/auth/roles";
import { getActiveCollectionRun, listCollectionRuns, parseRunId, type RunSummary } from "@/lib/db/runs";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { CollectNowButton } from "./collect-now-button";
import { costExplorerRequestsUsd } from "@/lib/cost/pricing";
import { formatMoney } from "@/components/cost/format";


export const metadata: Metadata = { title: "Runs" };

const PAGE_SIZE = 50;
const COLLECTORS: readonly Role[] = ["admin", "security"];

function trigger(run: RunSummary): string {
  if (run.trigger === "manual") return `manual · ${run.requestedBy}`;
  return run.trigger === "schedule" ? "schedule" : `cli${run.requestedBy && run.requestedBy !== "cli" ? ` · ${run.requestedBy}` : ""}`;
}

function duration(run: RunSummary): string {
  if (run.finishedAt) return durationBetween(run.startedAt ?? run.createdAt, run.finishedAt);
  return run.startedAt ? "running" : "—";
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<{ before?: string; after?: string }> }) {
  const user = await requirePageRole(ANY_ROLE);
  const params = await searchParams;
  const before = parseRunId(params.before) ?? undefined;
  const after = before === undefined ? (parseRunId(params.after) ?? undefined) : undefined;
  const [page, active, visibleRunId] = await Promise.all([listCollectionRuns({ limit: PAGE_SIZE, before, after }), getActiveCollectionRun(), getVisibleRunId()]);
  // When this page was read, for how long a queued run has waited (a server render is a snapshot).
  const renderedAt = new Date().getTime();
  const canCollect = COLLECTORS.includes(user.role);
  const firstPage = before === undefined && after === undefined;

  return (
    <>
      <PageHeader title="Runs" description="Collections: when they ran, what they read and what failed." />
      {canCollect ? (
        <section className="toolbar" aria-label="Collect">
          <CollectNowButton />
        </section>
      ) : null}
      {active ? <ActiveRunNotice runId={active.id} status={active.status} visibleRunId={visibleRunId} createdAt={active.createdAt} now={renderedAt} /> : null}
      {page.runs.length === 0 && firstPage ? (
        <EmptyState title="No collection has run yet">
          <p>
            Each collection is listed here with its start and end, the accounts and regions it read, and every AWS call that
            failed, named with its account, region, operation and AWS error.
            {canCollect ? " Start one with Collect now, or with `npx portwatch collect`." : " An admin or a security lead can start one."}
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Collection runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Status</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Started</th>
                  <th scope="col">Duration</th>
                  <th scope="col" className="num">Targets done</th>
                  <th scope="col" className="num">Failed targets</th>
                  <th scope="col" className="num">AWS calls</th>
                  <th scope="col" className="num">Throttled</th>
                  <th scope="col" className="num">Cost Explorer requests</th>
                  <th scope="col" className="num">Rows written</th>
                </tr>
              </thead>
              <tbody>
                {page.runs.map((run) => (
                  <tr key={run.id} data-testid={`run-${run.id}`}>
                    <td>
                      <Link href={`/runs/${run.id}`}>#{run.id}</Link>
                    </td>
                    <td>
                      <StatusBadge status={run.status} />
                      {run.error ? <div className="small muted">{run.error}</div> : null}
                    </td>
                    <td>{trigger(run)}</td>
                    <td className="nowrap">{run.startedAt ? formatDateTime(run.startedAt) : `queued ${formatDateTime(run.createdAt)}`}</td>
                    <td className="nowrap">{duration(run)}</td>
                    <td className="num">
                      {formatCount(run.targetsDone)}/{formatCount(run.targetsTotal)}
                    </td>
                    <td className={`num${run.targetsFailed ? " text-danger" : ""}`}>{formatCount(run.targetsFailed)}</td>
                    <td className="num">{formatCount(run.calls)}</td>
                    <td className="num">{formatCount(run.throttled)}</td>
                    <td className="num">
                      {formatCount(run.costExplorerRequests)}
                      <span className="muted"> ({formatMoney(costExplorerRequestsUsd(run.costExplorerRequests))})</span>
                    </td>
                    <td className="num">{formatCount(run.rowsWritten)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Run history pages"
            previousHref={page.newerThan !== null ? `/runs?after=${page.newerThan}` : null}
            nextHref={page.olderThan !== null ? `/runs?before=${page.olderThan}` : null}
          />
        </>
      )}
    </>
  );
}
