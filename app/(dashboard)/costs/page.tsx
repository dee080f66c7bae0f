import type { Metadata } from "next";
import Link from "next/link";
import { CostStackedChart, type CostChartPoint } from "@/components/charts/cost-stacked-chart";
import { COST_READERS } from "@/lib/auth/roles";
import { IgnoredParameters } from "@/components/tables/filter-form";
import { formatDateTime } from "@/components/tables/format";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { OTHER_ACCOUNTS, type Stacked, UNKNOWN_REGION } from "@/lib/cost/series";
import { type CostReadError, type CostStatus, type CostView, getCostCoverage, getCostStatus, getCostView, MAX_ANOMALIES } from "@/lib/db/costs";
import { CostFilters } from "./cost-filters";
import { formatMoney } from "@/components/cost/format";
import { formatDays } from "./cost-format";
import { CostHeadline } from "./cost-headline";
import { costFilterOf, costQuery, parseCostParams } from "./cost-params";
import { AnomalyTable, StackedTable } from "./cost-table";
import styles from "./costs.module.css";
import { CostsNav } from "./costs-nav";

export const metadata: Metadata = { title: "Costs" };

const DESCRIPTION = "ECR spend over time by usage category, account and region, from Cost Explorer: USD, unblended.";

/** What crosses to the chart (a client component): plain numbers, no exact strings. */
function chartPoints(stacked: Stacked, anomalies?: CostView["anomalousDays"]): CostChartPoint[] {
  const marked = new Set(anomalies?.map((d) => d.date));
  return stacked.points.map((p) => ({ period: p.period, values: p.values, estimated: p.estimated, anomaly: marked.has(p.period) ? p.total : null }));
}

/** A chart with its caption and the table behind it (folded away under `tableSummary` when given). */
function ChartCard({
  id,
  title,
  stacked,
  granularity = "day",
  anomalies,
  otherIds,
  table,
  tableSummary,
  children,
}: {
  id: string;
  title: string;
  stacked: Stacked;
  granularity?: "day" | "month";
  anomalies?: CostView["anomalousDays"];
  otherIds?: string[];
  table: React.ReactNode;
  tableSummary?: string;
  children: React.ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <figure style={{ margin: 0 }}>
        <CostStackedChart granularity={granularity} series={stacked.keys.map((k) => ({ id: k.id, name: k.label }))} points={chartPoints(stacked, anomalies)} otherIds={otherIds} />
        <figcaption className="small muted">{children}</figcaption>
      </figure>
      {tableSummary ? (
        <details>
          <summary>{tableSummary}</summary>
          {table}
        </details>
      ) : (
        table
      )}
    </section>
  );
}

function ReadError({ error, children }: { error: CostReadError; children?: React.ReactNode }) {
  return (
    <div className={styles.error} data-testid="cost-read-error">
      <strong>
        {error.errorName} on {error.operation}
      </strong>{" "}
      (account {error.accountId}): {error.message}
      {children}
    </div>
  );
}

/** The state of the Cost Explorer reads, above the figures: a failed read is an error, never $0. */
function StatusNotices({ status, lastDay }: { status: CostStatus; lastDay: string | null }) {
  const { last } = status;
  return (
    <>
      {status.inProgress ? (
        <p className="notice" role="status" data-testid="cost-read-running">
          <Link href={`/runs/${status.inProgress.runId}`}>Run #{status.inProgress.runId}</Link> is reading Cost Explorer: the figures below change when it finishes.
        </p>
      ) : null}
      {last?.error ? (
        <ReadError error={last.error}>
          {" "}
          The last read of Cost Explorer, in <Link href={`/runs/${last.runId}`}>run #{last.runId}</Link>
          {last.finishedAt ? ` (${formatDateTime(last.finishedAt)})` : ""}, failed
          {lastDay ? `: the figures below are those of an earlier read, up to ${lastDay}.` : "."}
        </ReadError>
      ) : null}
      {status.partialErrors
        .filter((e) => e.operation !== "ce:GetCostForecast")
        .map((e, i) => (
          <ReadError key={i} error={e}> (the rest of the read succeeded)</ReadError>
        ))}
      {!status.configured && lastDay ? (
        <p className="notice" role="status">
          No Cost Explorer role is configured any more: these are the costs read up to {lastDay}, and they will not be updated.
        </p>
      ) : null}
    </>
  );
}

export default async function CostsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageRole(COST_READERS);
  const [{ params, ignored }, status, coverage] = await Promise.all([searchParams.then(parseCostParams), getCostStatus(), getCostCoverage()]);
  const header = (
    <>
      <PageHeader title="Costs" description={DESCRIPTION} />
      <CostsNav />
    </>
  );

  if (coverage.lastDay === null || coverage.lastMonth === null) {
    // Nothing stored: say why, and what to do. A failed read is shown as the error, never as $0.
    return (
      <>
        {header}
        <StatusNotices status={{ ...status, last: status.last?.error ? null : status.last }} lastDay={null} />
        {status.last?.error ? (
          <EmptyState title="Cost Explorer could not be read">
            <ReadError error={status.last.error} />
            <p>
              Nothing has been read from Cost Explorer yet. Check that the role <code>{status.roleArn ?? "(none)"}</code> exists in the payer account, trusts Portwatch with the external id, and
              allows <code>ce:GetCostAndUsage</code>, <code>ce:GetCostForecast</code> and <code>ce:GetDimensionValues</code>; the next collection tries again.
            </p>
          </EmptyState>
        ) : !status.configured ? (
          <EmptyState title="No Cost Explorer role configured" action={user.role === "admin" ? { href: "/accounts#org-roles", label: "See the cost role on Accounts" } : undefined}>
            <p>
              Portwatch reads ECR cost from Cost Explorer in the payer (management) account, through a read-only role set in the accounts config file as{" "}
              <code>{`"costExplorer": { "roleArn": "arn:aws:iam::<payer>:role/PortwatchCostReader" }`}</code>.
            </p>
            <p>Once it is set and a collection has run, this page shows ECR spend by day and month, by category, account and region, the forecast to month end and unusual days.</p>
          </EmptyState>
        ) : status.last?.status === "done" ? (
          <EmptyState title="No ECR cost in Cost Explorer">
            <p>
              Cost Explorer was read by <Link href={`/runs/${status.last.runId}`}>run #{status.last.runId}</Link>
              {status.last.finishedAt ? ` (${formatDateTime(status.last.finishedAt)})` : ""} and reported no cost for Amazon EC2 Container Registry (ECR) in the period it
              covers. ECR cost appears here once AWS bills some: storage, data transfer out, or replication between regions.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No Cost Explorer data yet" action={user.role === "admin" && !status.inProgress ? { href: "/runs", label: "Start a collection" } : undefined}>
            <p>
              The Cost Explorer role is configured; {status.inProgress ? `run #${status.inProgress.runId} is reading it now.` : "the next collection reads it."} Cost Explorer
              answers for days up to yesterday: the figures appear here when that read finishes.
            </p>
          </EmptyState>
        )}
      </>
    );
  }

  const view = await getCostView(params.days, costFilterOf(params));
  const query = costQuery(params);
  const forecastError = status.partialErrors.find((e) => e.operation === "ce:GetCostForecast") ?? null;
  const { byCategory, byAccount, byRegion } = view.daily;
  const span = formatDays(view.range.from, view.range.to);

  return (
    <>
      {header}
      <StatusNotices status={status} lastDay={coverage.lastDay} />
      <CostFilters params={params} accounts={view.options.accounts} regions={view.options.regions} />
      <IgnoredParameters ignored={ignored} />

      <CostHeadline view={view} forecastError={forecastError} />

      <ChartCard id="cost-monthly" title="By month and category" stacked={view.monthly} granularity="month" table={<StackedTable view={view} name="monthly" query={query} />}>
        The last {view.monthly.points.length} months, this one to date. Data transfer out is to the internet; inter-region is replication and pulls across regions; other is
        transfer between Availability Zones and anything else. Paler bars are estimated.
      </ChartCard>
      <ChartCard
        id="cost-daily"
        title={`By day and category, ${span}`}
        stacked={byCategory}
        anomalies={view.anomalousDays}
        table={<StackedTable view={view} name="daily" query={query} />}
        tableSummary="Daily cost by category as a table"
      >
        {formatMoney(byCategory.total)} USD over {view.range.days} days. Diamonds mark days with an anomaly (listed below). Cost Explorer lags about a day: the latest day shown
        is {view.range.to}.
      </ChartCard>
      <ChartCard
        id="cost-accounts"
        title={`By account, ${span}`}
        stacked={byAccount}
        otherIds={[OTHER_ACCOUNTS]}
        table={<StackedTable view={view} name="accounts" query={query} />}
        tableSummary="Daily cost by account as a table"
      >
        The accounts with the most cost over the range, the rest together as other accounts.
      </ChartCard>
      <ChartCard
        id="cost-regions"
        title={`By region, ${span}`}
        stacked={byRegion}
        otherIds={[UNKNOWN_REGION]}
        table={<StackedTable view={view} name="regions" query={query} />}
        tableSummary="Daily cost by region as a table"
      >
        The region each usage type is billed in, read from its region billing code (inter-region transfer counts in the region it leaves).
      </ChartCard>

      <section className="card" aria-labelledby="cost-anomalies">
        <h2 id="cost-anomalies">Anomalies, {span}</h2>
        <p className="small muted">
          A day is an anomaly when one account&apos;s usage type cost far more than its trend: more than its median of the 28 days before plus 5 robust standard deviations (from
          the median absolute deviation), at least 1.5 times that median, and at least $0.50 more.
        </p>
        {view.anomalies.length === 0 ? <p>No day in the range was far above its trend.</p> : <AnomalyTable view={view} query={query} limit={MAX_ANOMALIES} />}
      </section>
    </>
  );
}
