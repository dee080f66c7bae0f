import type { Metadata } from "next";
import Link from "next/link";
import { COST_READERS } from "@/lib/auth/roles";
import { formatGib, formatMoney, formatShare } from "@/components/cost/format";
import { FilterActions, FilterSelect, IgnoredParameters } from "@/components/tables/filter-form";
import { ActiveRunNotice } from "@/components/tables/active-run-notice";
import { formatCount } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { SortHeader } from "@/components/tables/sort-header";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { listSnapshotScopes } from "@/lib/db/repositories";
import {
  getRepositoryCostTotals,
  getStorageCosts,
  getStoragePrices,
  listRepositoryCosts,
  listUnallocatedCosts,
  parseRepositoryCostParams,
  repositoryCostQuery,
  type RepositoryCostParams,
  type RepositoryCostRow,
  type RepositoryCostSort,
} from "@/lib/db/repository-costs";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { getActiveCollectionRun } from "@/lib/db/runs";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { CostsNav } from "../costs-nav";

export const metadata: Metadata = { title: "Repository costs" };

const PAGE_SIZE = 50;
const PATH = "/costs/repositories";

const href = (params: Pick<RepositoryCostParams, "filter" | "sort" | "direction">, page: { after?: string; before?: string } = {}) => `${PATH}${repositoryCostQuery(params, page)}`;

function StoredCell({ row }: { row: RepositoryCostRow }) {
  if (row.imagesUnread) return <span className="text-danger">images unread</span>;
  return (
    <>
      {formatGib(row.storedBytes)}
      {row.storedBytesExact ? null : (
        <>
          {" "}
          <span className="badge" title="Some images' layers were not read, so their whole compressed sizes are counted: the real figure is at most this">
            upper bound
          </span>
        </>
      )}
    </>
  );
}

export default async function RepositoryCostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole(COST_READERS);
  const [params, visibleRunId, active] = await Promise.all([searchParams.then(parseRepositoryCostParams), getVisibleRunId(), getActiveCollectionRun()]);
  const renderedAt = new Date().getTime();
  const header = (
    <PageHeader title="Repository costs" description="What each repository stores and costs: its list price, and its share of its account-region's actual ECR storage bill." />
  );
  const notice = active ? <ActiveRunNotice runId={active.id} status={active.status} visibleRunId={visibleRunId} createdAt={active.createdAt} now={renderedAt} /> : null;

  if (visibleRunId === null) {
    return (
      <>
        {header}
        <CostsNav />
        {notice}
        <EmptyState title="No repositories collected yet">
          <p>Once a collection has read your registries and Cost Explorer, every repository appears here ranked by what it costs to store.</p>
        </EmptyState>
      </>
    );
  }

  const { filter, sort, direction } = params;
  // Read once and shared by the list, the total and the unallocated costs.
  const [storage, prices, scopes] = await Promise.all([getStorageCosts(filter.accountId), getStoragePrices(), listSnapshotScopes(visibleRunId)]);
  const [page, totals, unallocated] = await Promise.all([
    listRepositoryCosts({ runId: visibleRunId, filter, sort, direction, after: params.after, before: params.before, limit: PAGE_SIZE, storage, prices }),
    getRepositoryCostTotals({ runId: visibleRunId, filter, storage, prices }),
    listUnallocatedCosts({ runId: visibleRunId, filter, storage }),
  ]);
  const accounts = [...new Set(scopes.map((s) => s.accountId))];
  if (filter.accountId && !accounts.includes(filter.accountId)) accounts.push(filter.accountId);
  const regions = [...new Set(scopes.map((s) => s.region))].sort();
  if (filter.region && !regions.includes(filter.region)) regions.push(filter.region);
  const filtered = Object.keys(filter).length > 0;
  const costWindow = storage.window;
  const regionPrices = Object.entries(prices.regionStoragePrices);

  const sortHref = (column: RepositoryCostSort) => href({ filter, sort: column, direction: column === sort ? (direction === "asc" ? "desc" : "asc") : "desc" });
  const columnHeader = (label: string, column: RepositoryCostSort) => <SortHeader label={label} href={sortHref(column)} active={sort === column} direction={direction} numeric />;

  return (
    <>
      {header}
      <CostsNav />
      {notice}
      <form className="form inline filters" method="get" action={PATH} aria-label="Filter repository costs">
        <FilterSelect label="Account" name="account" value={filter.accountId} options={accounts} />
        <FilterSelect label="Region" name="region" value={filter.region} options={regions} />
        <label>
          Name starts with
          <input name="name" defaultValue={filter.namePrefix ?? ""} maxLength={256} />
        </label>
        <label>
          At least ($ a month)
          <input name="min" type="number" min="0" step="0.01" inputMode="decimal" defaultValue={filter.minUsd ?? ""} />
        </label>
        {sort !== "allocated" ? <input type="hidden" name="sort" value={sort} /> : null}
        {direction !== "desc" ? <input type="hidden" name="dir" value={direction} /> : null}
        <FilterActions filtered={filtered} clearHref={href({ filter: {}, sort, direction })} />
      </form>
      <IgnoredParameters ignored={params.ignored} />

      <p className="small" data-testid="repository-cost-summary">
        {formatCount(totals.repositories)} {totals.repositories === 1 ? "repository" : "repositories"}
        {filtered ? " match the filter" : ""}, as collected by run <Link href={`/runs/${visibleRunId}`}>#{visibleRunId}</Link>.{" "}
        {costWindow ? (
          <>
            <strong>Actual</strong> is each account-region&apos;s ECR storage cost in Cost Explorer from {costWindow.from} to {costWindow.to} ({costWindow.days} days, USD, unblended
            {storage.costs.some((c) => c.estimated) ? "; the last days are still AWS estimates" : ""}), shared among its repositories in proportion to their stored bytes;
            the shares of a region add up to its bill exactly.
          </>
        ) : (
          <>No Cost Explorer data has been collected, so only list prices are shown.</>
        )}{" "}
        <strong>List price</strong> is stored GiB a month at ${prices.storagePricePerGbMonth} per GB-month
        {regionPrices.length ? ` (${regionPrices.map(([r, p]) => `${r} $${p}`).join(", ")})` : ""}, from Settings. <strong>Stored</strong> counts each layer once per
        repository, as ECR stores it.{" "}
        <a href={`/api/costs/repositories${repositoryCostQuery({ filter, sort, direction })}`} download>
          Download CSV
        </a>
      </p>
      {storage.unknownUsageTypes.length ? (
        <p className="notice" role="status">
          Storage usage types with a region code Portwatch does not know are not allocated: {storage.unknownUsageTypes.join(", ")}.
        </p>
      ) : null}

      {page.rows.length === 0 ? (
        <p className="muted">{filtered ? "No repository matches the filter." : "The last collection found no repositories."}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Repositories ranked by cost</caption>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                {columnHeader("Images", "images")}
                {columnHeader("Stored", "size")}
                {columnHeader("List price / month", "estimated")}
                {columnHeader(`Actual (${costWindow ? `${costWindow.days} days` : "no data"})`, "allocated")}
                <th scope="col" className="num">
                  Share of account-region
                </th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.arn}>
                  <td>
                    <Link href={repositoryHref(row)}>{row.name}</Link>
                  </td>
                  <td className="mono">{row.accountId}</td>
                  <td>{row.region}</td>
                  <td className="num">{formatCount(row.imageCount)}</td>
                  <td className="num nowrap">
                    <StoredCell row={row} />
                  </td>
                  <td className="num">{formatMoney(row.listUsd)}</td>
                  <td className="num">{row.allocatedUsd !== null ? formatMoney(row.allocatedUsd) : <span className="muted">{row.regionCostUsd === null ? "no cost data" : "not allocated"}</span>}</td>
                  <td className="num nowrap">
                    {formatShare(row.storedBytes, row.regionStoredBytes)}
                    {row.regionCostUsd !== null ? <span className="muted small"> of {formatMoney(row.regionCostUsd)}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="repository-cost-total">
                <th scope="row" colSpan={3}>
                  Total, {formatCount(totals.repositories)} {totals.repositories === 1 ? "repository" : "repositories"}
                  {filtered ? " matching the filter" : ""}
                </th>
                <td className="num">{formatCount(totals.images)}</td>
                <td className="num nowrap">
                  {formatGib(totals.storedBytes)}
                  {totals.storedBytesExact ? null : (
                    <>
                      {" "}
                      <span className="badge">upper bound</span>
                    </>
                  )}
                </td>
                <td className="num">{formatMoney(totals.listUsd)}</td>
                <td className="num">{totals.allocatedRepositories > 0 ? formatMoney(totals.allocatedUsd) : "—"}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <Pager
        label="Repository cost pages"
        previousHref={page.previous ? href({ filter, sort, direction }, { before: page.previous }) : null}
        nextHref={page.next ? href({ filter, sort, direction }, { after: page.next }) : null}
      />

      {unallocated.length ? (
        <section aria-labelledby="unallocated">
          <h2 id="unallocated">Unallocated storage cost</h2>
          <p className="small">
            Cost Explorer bills storage in these account-regions, but the collection found no stored bytes there to share it by (no repositories, or none whose images could be
            read). It is in no repository&apos;s figure above.
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Region</th>
                  <th scope="col" className="num">
                    Storage cost ({costWindow?.days ?? 0} days)
                  </th>
                </tr>
              </thead>
              <tbody>
                {unallocated.map((u) => (
                  <tr key={`${u.accountId}/${u.region}`}>
                    <td className="mono">{u.accountId}</td>
                    <td>{u.region}</td>
                    <td className="num">
                      {formatMoney(u.usd)}
                      {u.estimated ? <span className="muted small"> (estimated days)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
