import type { Metadata } from "next";
import Link from "next/link";
import { parseResource, resourceLabel } from "@/components/compliance/links";
import { COST_READERS } from "@/lib/auth/roles";
import { formatGib, formatMoney } from "@/components/cost/format";
import { FilterActions, FilterSelect, IgnoredParameters } from "@/components/tables/filter-form";
import { ActiveRunNotice } from "@/components/tables/active-run-notice";
import { formatCount, formatDateTime } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { SAVING_KINDS, SAVING_LABELS } from "@/lib/cost/savings";
import { repositoryHref, repositoryListHref } from "@/lib/db/repository-list-params";
import { getActiveCollectionRun } from "@/lib/db/runs";
import { getSavingsRun, getSavingsTotals, listSavings, listSavingsAccounts, parseSavingsParams, type SavingRow, savingsQuery } from "@/lib/db/savings";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { CostsNav } from "../costs-nav";

export const metadata: Metadata = { title: "Savings" };

const PAGE_SIZE = 50;
const PATH = "/costs/savings";

/** A repository links to its page; a registry to the list of its repositories. */
function ResourceLink({ resource }: { resource: string }) {
  const ref = parseResource(resource);
  if (ref.kind === "repository") return <Link href={repositoryHref(ref)}>{ref.name}</Link>;
  if (ref.kind === "registry") return <Link href={repositoryListHref({ filter: { accountId: ref.accountId, region: ref.region }, sort: "size", direction: "desc" })}>{resourceLabel(resource)}</Link>;
  return <>{resourceLabel(resource)}</>;
}

function AmountCell({ row }: { row: SavingRow }) {
  if (row.monthlyUsd === null) return <span className="muted">not quantified</span>;
  if (row.counted) return <>{formatMoney(row.monthlyUsd)}</>;
  const why = typeof row.details.notCountedBecause === "string" ? row.details.notCountedBecause : "overlaps another saving";
  return (
    <>
      {formatMoney(row.monthlyUsd)}
      <div className="muted small">not in the total: {why}</div>
    </>
  );
}

export default async function SavingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole(COST_READERS);
  const [params, visibleRunId, active] = await Promise.all([searchParams.then(parseSavingsParams), getVisibleRunId(), getActiveCollectionRun()]);
  const renderedAt = new Date().getTime();
  const header = <PageHeader title="Savings" description="One ranked list, across the organisation, of what to change and what it saves a month." />;
  const notice = active ? <ActiveRunNotice runId={active.id} status={active.status} visibleRunId={visibleRunId} createdAt={active.createdAt} now={renderedAt} /> : null;
  const savingsRun = visibleRunId === null ? null : await getSavingsRun(visibleRunId);

  if (visibleRunId === null || savingsRun === null) {
    return (
      <>
        {header}
        <CostsNav />
        {notice}
        <EmptyState title={visibleRunId === null ? "Nothing collected yet" : "No savings computed yet"}>
          <p>
            Savings are computed once per collection run, when the run is evaluated: lifecycle policies simulated over every repository&apos;s images, stale and untagged
            images, replication without filters and oversized images.
            {visibleRunId !== null ? ` Run #${visibleRunId} has not been evaluated yet, or nothing in it could be saved.` : ""}
          </p>
        </EmptyState>
      </>
    );
  }

  const { filter } = params;
  const runId = savingsRun.runId;
  const [page, totals, accounts] = await Promise.all([
    listSavings({ runId, filter, after: params.after, before: params.before, limit: PAGE_SIZE }),
    getSavingsTotals({ runId, filter }),
    listSavingsAccounts(runId),
  ]);
  if (filter.accountId && !accounts.includes(filter.accountId)) accounts.push(filter.accountId);
  const filtered = Object.keys(filter).length > 0;
  const href = (page: { after?: string; before?: string } = {}) => `${PATH}${savingsQuery(filter, page)}`;

  return (
    <>
      {header}
      <CostsNav />
      {notice}
      {runId !== visibleRunId ? (
        <p className="notice" role="status">
          These are the savings of run <Link href={`/runs/${runId}`}>#{runId}</Link>: run #{visibleRunId}&apos;s are computed when its evaluation finishes.
        </p>
      ) : null}
      <form className="form inline filters" method="get" action={PATH} aria-label="Filter savings">
        <FilterSelect label="Action" name="kind" value={filter.kind} options={SAVING_KINDS.map((k) => [k, SAVING_LABELS[k]] as const)} />
        <FilterSelect label="Account" name="account" value={filter.accountId} options={accounts} />
        <FilterActions filtered={filtered} clearHref={PATH} />
      </form>
      <IgnoredParameters ignored={params.ignored} />

      <section className="card" aria-labelledby="savings-total">
        <h2 id="savings-total">
          {formatMoney(totals.totalUsd)} a month{filtered ? " for the filter" : ""}
        </h2>
        <p className="small">
          Computed for run <Link href={`/runs/${runId}`}>#{runId}</Link> on {formatDateTime(savingsRun.computedAt)}, at the list prices and thresholds in Settings. The total adds
          the rows marked as counted: one repository&apos;s lifecycle actions overlap (the COST-01 policy also expires old untagged and stale images), so per repository only the
          largest of them counts, and the others are listed beside it; replication filters store different bytes and count in full, as an upper bound (repositories that need a
          copy keep it); an oversized image saves transfer and start-up time, not storage, and is not priced. Freed bytes count a layer only when no kept image still uses it.{" "}
          <a href={`/api/costs/savings${savingsQuery(filter)}`} download>
            Download CSV
          </a>
        </p>
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Savings by action</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col" className="num">
                  In the total / month
                </th>
                <th scope="col" className="num">
                  Overlapping, not in the total
                </th>
              </tr>
            </thead>
            <tbody>
              {totals.byKind.map((k) => (
                <tr key={k.kind}>
                  <td>{SAVING_LABELS[k.kind]}</td>
                  <td className="num">{formatCount(k.rows)}</td>
                  <td className="num">{k.unquantified === k.rows ? <span className="muted">not quantified</span> : formatMoney(k.countedUsd)}</td>
                  <td className="num">{k.overlappingUsd > 0 ? formatMoney(k.overlappingUsd) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {page.rows.length === 0 ? (
        <p className="muted">{filtered ? "No saving matches the filter." : "Nothing to save was found in this run."}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Savings, largest first</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                <th scope="col" className="num">
                  Images
                </th>
                <th scope="col" className="num">
                  Freed
                </th>
                <th scope="col" className="num">
                  Saves / month
                </th>
                <th scope="col">How it was computed</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={`${row.kind} ${row.resource}`}>
                  <td>{SAVING_LABELS[row.kind]}</td>
                  <td>
                    <ResourceLink resource={row.resource} />
                  </td>
                  <td className="mono">{row.accountId}</td>
                  <td>{row.region}</td>
                  <td className="num">{formatCount(row.images)}</td>
                  <td className="num nowrap">
                    {formatGib(row.bytes)}
                    {row.bytesExact ? null : <div className="muted small">upper bound</div>}
                  </td>
                  <td className="num wrap-cell">
                    <AmountCell row={row} />
                  </td>
                  <td className="wide-cell small">{row.method}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="savings-total">
                <th scope="row" colSpan={6}>
                  Total of the counted rows, {formatCount(totals.rows)} {totals.rows === 1 ? "row" : "rows"} on every page
                </th>
                <td className="num">{formatMoney(totals.totalUsd)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <Pager label="Savings pages" previousHref={page.previous ? href({ before: page.previous }) : null} nextHref={page.next ? href({ after: page.next }) : null} />
    </>
  );
}
