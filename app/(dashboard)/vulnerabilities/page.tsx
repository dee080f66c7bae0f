import type { Metadata } from "next";
import Link from "next/link";
import { FilterActions, FilterSelect, IgnoredParameters } from "@/components/tables/filter-form";
import { formatCount, shortDigest } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { SeverityCounts, SeverityLabel } from "@/components/tables/severity-counts";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { getVulnerabilityCounts, listAffectedRepositories, listSnapshotAccounts, listVulnerabilities, type VulnerabilityRow } from "@/lib/db/vulnerabilities";
import { SEVERITY_ORDER } from "@/lib/severity";
import { FIX_FILTERS, parseVulnerabilityListParams, vulnerabilityHref, vulnerabilityListHref, type VulnerabilityListFilter } from "./list-params";

export const metadata: Metadata = { title: "Vulnerabilities" };

const PAGE_SIZE = 50;
const TOP_REPOSITORIES = 20;

const FIX_LABELS = { yes: "fix available", no: "no fix available" } as const;

/** "yes" when every finding has a fixed-in version, "no" when none has, otherwise how many do. */
function fixText(row: VulnerabilityRow): string {
  if (row.fixable === 0) return "no";
  if (row.fixable === row.findings) return "yes";
  return `partly (${formatCount(row.fixable)} of ${formatCount(row.findings)} findings)`;
}

/** The first few values and how many more there are: "openssl, libssl3 and 4 more". */
function someOf(values: string[], count: number): string {
  const more = count - values.length;
  return more > 0 ? `${values.join(", ")} and ${formatCount(more)} more` : values.join(", ");
}

export default async function VulnerabilitiesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole(ANY_ROLE);
  const [params, runId] = await Promise.all([searchParams.then(parseVulnerabilityListParams), getVisibleRunId()]);
  const header = <PageHeader title="Vulnerabilities" description="Scan findings in the latest image of every repository across the organisation, by vulnerability." />;
  const emptyText =
    "After a collection, the findings from ECR basic and enhanced (Inspector) scanning of each repository's latest image appear here by severity, with the CVE, the affected package and the fixed version where one exists.";

  if (runId === null) {
    return (
      <>
        {header}
        <EmptyState title="No scan findings collected yet">
          <p>{emptyText}</p>
        </EmptyState>
      </>
    );
  }

  const { filter } = params;
  // The severity counts leave the severity filter out, so each count is a link that narrows to it.
  const { severity: _severity, ...withoutSeverity } = filter;
  const [counts, page, repositories, accounts] = await Promise.all([
    getVulnerabilityCounts(runId, withoutSeverity),
    listVulnerabilities({ runId, filter, after: params.after, before: params.before, limit: PAGE_SIZE }),
    listAffectedRepositories(runId, filter, TOP_REPOSITORIES),
    listSnapshotAccounts(runId),
  ]);
  const filtered = Object.keys(filter).length > 0;

  if (!filtered && counts.total.findings === 0) {
    return (
      <>
        {header}
        <EmptyState title="No scan findings collected yet">
          <p>
            Run <Link href={`/runs/${runId}`}>#{runId}</Link> found no findings in the latest scanned image of any repository. {emptyText}
          </p>
        </EmptyState>
      </>
    );
  }

  const matching = filter.severity ? (counts.bySeverity.find((b) => b.severity === filter.severity)?.vulnerabilities ?? 0) : counts.total.vulnerabilities;
  const accountOptions = accounts.some((a) => a.accountId === filter.accountId) || !filter.accountId ? accounts : [...accounts, { accountId: filter.accountId, name: null }];
  const withFilter = (change: Partial<VulnerabilityListFilter>) => vulnerabilityListHref({ ...filter, ...change });

  return (
    <>
      {header}
      <p className="small muted">
        As collected by run <Link href={`/runs/${runId}`}>#{runId}</Link>: the findings of each repository&apos;s latest scanned image.
      </p>

      <section className="card" aria-labelledby="by-severity">
        <h2 id="by-severity">By severity</h2>
        {counts.bySeverity.length === 0 ? (
          <p className="muted">No finding matches the filter.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Findings by severity{Object.keys(withoutSeverity).length ? ", with the other filters applied" : ""}</caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col" className="num">
                    Vulnerabilities
                  </th>
                  <th scope="col" className="num">
                    Findings
                  </th>
                  <th scope="col" className="num">
                    Repositories
                  </th>
                </tr>
              </thead>
              <tbody>
                {counts.bySeverity.map((b) => (
                  <tr key={b.severity} aria-current={filter.severity === b.severity ? "true" : undefined}>
                    <th scope="row">
                      <Link href={withFilter({ severity: b.severity as VulnerabilityListFilter["severity"] })} aria-label={`Show ${b.severity.toLowerCase()} vulnerabilities`}>
                        <SeverityLabel severity={b.severity} />
                      </Link>
                      {filter.severity === b.severity ? <span className="small muted"> (shown)</span> : null}
                    </th>
                    <td className="num">{formatCount(b.vulnerabilities)}</td>
                    <td className="num">{formatCount(b.findings)}</td>
                    <td className="num">{formatCount(b.repositories)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num">{formatCount(counts.total.vulnerabilities)}</td>
                  <td className="num">{formatCount(counts.total.findings)}</td>
                  <td className="num">{formatCount(counts.total.repositories)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
        <p className="small muted">
          A finding is one vulnerability in one package of one repository&apos;s latest image; a vulnerability found with different severities is counted under each.
        </p>
      </section>

      <form className="form inline filters" method="get" action="/vulnerabilities" aria-label="Filter vulnerabilities">
        <FilterSelect label="Severity" name="severity" value={filter.severity} options={SEVERITY_ORDER} />
        <FilterSelect label="Fix available" name="fix" value={filter.fix} options={FIX_FILTERS.map((v) => [v, v === "yes" ? "Yes" : "No"] as const)} anyLabel="Either" />
        <label>
          Package contains
          <input name="package" defaultValue={filter.packageName ?? ""} maxLength={128} />
        </label>
        <FilterSelect label="Account" name="account" value={filter.accountId} options={accountOptions.map((a) => [a.accountId, a.name ? `${a.name} (${a.accountId})` : a.accountId] as const)} />
        <FilterActions filtered={filtered} clearHref="/vulnerabilities" />
      </form>
      <IgnoredParameters ignored={params.ignored} />

      <section aria-labelledby="vulnerability-list">
        <h2 id="vulnerability-list">Vulnerabilities</h2>
        <p className="small" data-testid="vulnerability-total">
          {formatCount(matching)} {matching === 1 ? "vulnerability" : "vulnerabilities"}
          {filtered ? " match the filter" : ""}
          {filter.fix ? ` (${FIX_LABELS[filter.fix]})` : ""}, most severe first.
        </p>
        {page.rows.length === 0 ? (
          <p className="muted">{filtered ? "No vulnerability matches the filter." : "No vulnerabilities on this page."}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Vulnerabilities in the latest images, most severe first</caption>
              <thead>
                <tr>
                  <th scope="col">Vulnerability</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">Packages</th>
                  <th scope="col">Fixed in</th>
                  <th scope="col">Fix available</th>
                  <th scope="col" className="num">
                    Repositories
                  </th>
                  <th scope="col" className="num">
                    Accounts
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr key={row.name}>
                    <td className="mono wrap-cell">
                      <Link href={vulnerabilityHref(row.name)}>{row.name}</Link>
                    </td>
                    <td>
                      <SeverityLabel severity={row.severity} />
                    </td>
                    <td className="num">{row.score === null ? <span className="muted">—</span> : row.score.toFixed(1)}</td>
                    <td className="mono wrap-cell">{row.packageCount ? someOf(row.packages, row.packageCount) : <span className="muted">—</span>}</td>
                    <td className="mono wrap-cell">{row.fixedInCount ? someOf(row.fixedIn, row.fixedInCount) : <span className="muted">—</span>}</td>
                    <td>{fixText(row)}</td>
                    <td className="num">{formatCount(row.repositories)}</td>
                    <td className="num">{formatCount(row.accounts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          label="Vulnerability pages"
          previousHref={page.previous ? vulnerabilityListHref(filter, { before: page.previous }) : null}
          nextHref={page.next ? vulnerabilityListHref(filter, { after: page.next }) : null}
        />
      </section>

      <section aria-labelledby="most-affected">
        <h2 id="most-affected">Most affected repositories</h2>
        {repositories.length === 0 ? (
          <p className="muted">No repository has a finding that matches the filter.</p>
        ) : (
          <>
            <p className="small muted">
              The {repositories.length === TOP_REPOSITORIES ? `${TOP_REPOSITORIES} ` : ""}repositories with the most critical, then high findings
              {filtered ? " matching the filter" : ""}.
            </p>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Repositories by the findings in their latest image, worst first</caption>
                <thead>
                  <tr>
                    <th scope="col">Repository</th>
                    <th scope="col">Account</th>
                    <th scope="col">Region</th>
                    <th scope="col">Latest image</th>
                    <th scope="col">Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {repositories.map((r) => (
                    <tr key={r.arn}>
                      <td>
                        <Link href={repositoryHref(r)}>{r.name}</Link>
                      </td>
                      <td className="mono">{r.accountId}</td>
                      <td>{r.region}</td>
                      <td className="mono" title={r.imageDigest}>
                        {shortDigest(r.imageDigest)}
                      </td>
                      <td>
                        <SeverityCounts counts={r.counts} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}
