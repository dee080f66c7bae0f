import type { Metadata } from "next";
import Link from "next/link";
import { FilterActions, FilterSelect, IgnoredParameters } from "@/components/tables/filter-form";
import { ActiveRunNotice } from "@/components/tables/active-run-notice";
import { formatBytes, formatCount, formatDateTime } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { SortHeader } from "@/components/tables/sort-header";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { countRepositories, listRepositories, listSnapshotScopes, type RepositoryListRow } from "@/lib/db/repositories";
import {
  DEFAULT_DIRECTION,
  ENCRYPTION_TYPES,
  LIFECYCLE_FILTERS,
  parseRepositoryListParams,
  repositoryHref,
  repositoryListHref,
  type RepositorySort,
  SCAN_FREQUENCY_FILTERS,
  TAG_MUTABILITIES,
} from "@/lib/db/repository-list-params";
import { getActiveCollectionRun } from "@/lib/db/runs";
import { getVisibleRunId } from "@/lib/db/snapshot";

export const metadata: Metadata = { title: "Repositories" };

const PAGE_SIZE = 50;

const LIFECYCLE_LABELS = { yes: "configured", no: "none", unknown: "could not be read" } as const;

function scanText(row: RepositoryListRow): string {
  if (row.scanFrequency) return row.scanFrequency;
  return row.scanOnPush ? "unknown (scan on push set)" : "unknown";
}

export default async function RepositoriesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole(ANY_ROLE);
  const [params, visibleRunId, active] = await Promise.all([searchParams.then(parseRepositoryListParams), getVisibleRunId(), getActiveCollectionRun()]);
  // When this page was read, for how long a queued run has waited (a server render is a snapshot).
  const renderedAt = new Date().getTime();
  const header = <PageHeader title="Repositories" description="Every ECR repository across accounts and regions, with its configuration and images." />;
  const notice = active ? <ActiveRunNotice runId={active.id} status={active.status} visibleRunId={visibleRunId} createdAt={active.createdAt} now={renderedAt} /> : null;

  if (visibleRunId === null) {
    return (
      <>
        {header}
        {notice}
        <EmptyState title="No repositories collected yet">
          <p>
            Once a collection has read your registries, every repository appears here with its scan, tag-mutability, encryption,
            lifecycle and access settings, its images and what it costs to store.
          </p>
        </EmptyState>
      </>
    );
  }

  const { filter, sort, direction } = params;
  const [page, total, scopes] = await Promise.all([
    listRepositories({ runId: visibleRunId, filter, sort, direction, after: params.after, before: params.before, limit: PAGE_SIZE }),
    countRepositories({ runId: visibleRunId, filter }),
    listSnapshotScopes(visibleRunId),
  ]);
  const accounts = [...new Set(scopes.map((s) => s.accountId))];
  if (filter.accountId && !accounts.includes(filter.accountId)) accounts.push(filter.accountId);
  const regions = [...new Set(scopes.map((s) => s.region))].sort();
  if (filter.region && !regions.includes(filter.region)) regions.push(filter.region);
  const filtered = Object.keys(filter).length > 0;

  const sortHref = (column: RepositorySort) =>
    repositoryListHref({ filter, sort: column, direction: column === sort ? (direction === "asc" ? "desc" : "asc") : DEFAULT_DIRECTION[column] });
  const columnHeader = (label: string, column: RepositorySort, numeric = false) => (
    <SortHeader label={label} href={sortHref(column)} active={sort === column} direction={direction} numeric={numeric} />
  );

  return (
    <>
      {header}
      {notice}
      <form className="form inline filters" method="get" action="/repositories" aria-label="Filter repositories">
        <FilterSelect label="Account" name="account" value={filter.accountId} options={accounts} />
        <FilterSelect label="Region" name="region" value={filter.region} options={regions} />
        <label>
          Name contains
          <input name="name" defaultValue={filter.name ?? ""} maxLength={256} />
        </label>
        <FilterSelect label="Encryption" name="encryption" value={filter.encryption} options={ENCRYPTION_TYPES} />
        <FilterSelect label="Scan frequency" name="scan" value={filter.scanFrequency} options={SCAN_FREQUENCY_FILTERS} />
        <FilterSelect label="Tag mutability" name="mutability" value={filter.tagMutability} options={TAG_MUTABILITIES} />
        <FilterSelect label="Lifecycle policy" name="lifecycle" value={filter.lifecycle} options={LIFECYCLE_FILTERS.map((v) => [v, LIFECYCLE_LABELS[v]] as const)} />
        {sort !== "name" ? <input type="hidden" name="sort" value={sort} /> : null}
        {direction !== DEFAULT_DIRECTION[sort] ? <input type="hidden" name="dir" value={direction} /> : null}
        <FilterActions filtered={filtered} clearHref={repositoryListHref({ filter: {}, sort, direction })} />
      </form>
      <IgnoredParameters ignored={params.ignored} />
      <p className="small" data-testid="repository-total">
        {formatCount(total)} {total === 1 ? "repository" : "repositories"}
        {filtered ? " match the filter" : ""}, as collected by run <Link href={`/runs/${visibleRunId}`}>#{visibleRunId}</Link>.
      </p>

      {page.rows.length === 0 ? (
        <p className="muted">{filtered ? "No repository matches the filter." : "The last collection found no repositories."}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Repositories</caption>
            <thead>
              <tr>
                {columnHeader("Name", "name")}
                {columnHeader("Account", "account")}
                <th scope="col">Region</th>
                {columnHeader("Images", "images", true)}
                {columnHeader("Size", "size", true)}
                {columnHeader("Last push", "pushed")}
                <th scope="col">Scan frequency</th>
                <th scope="col">Tag mutability</th>
                <th scope="col">Encryption</th>
                <th scope="col">Lifecycle</th>
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
                  <td className="num nowrap">{formatBytes(row.imageBytes)}</td>
                  <td className="nowrap">{formatDateTime(row.latestPushedAt, "never")}</td>
                  <td>{scanText(row)}</td>
                  <td>{row.imageTagMutability}</td>
                  <td>{row.encryptionType}</td>
                  <td className={row.lifecycle === "unknown" ? "text-danger" : undefined}>{row.lifecycle === "present" ? "configured" : row.lifecycle === "none" ? "none" : "could not be read"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Repository pages"
        previousHref={page.previous ? repositoryListHref({ filter, sort, direction }, { before: page.previous }) : null}
        nextHref={page.next ? repositoryListHref({ filter, sort, direction }, { after: page.next }) : null}
      />
    </>
  );
}
