import "server-only";
import { regionForUsageType } from "@/lib/aws/region-billing-codes";
import {
  type AccountAmount,
  addDays,
  addMonths,
  type Anomaly,
  anomalyDays,
  categoryOf,
  type Change,
  type CostCategory,
  type DailySeries,
  DEFAULT_ANOMALY_OPTIONS,
  detectAnomalies,
  dayRange,
  type ForecastInput,
  forecastToMonthEnd,
  lastFullMonthChange,
  type MonthEndForecast,
  monthOf,
  monthRange,
  monthToDateChange,
  rangeFor,
  type Stacked,
  stackByAccount,
  stackByCategory,
  stackByRegion,
  sumRows,
  toUsd,
  type UsageTypeAmount,
} from "@/lib/cost/series";
import { parseSetting } from "@/lib/settings";
import { getPool } from "./pool";
import { costExplorerRequestsUsd } from "@/lib/cost/pricing";

/**
 * The Costs page's reads. Everything is summed in SQL (numeric, exact) down to one row per day
 * and usage type, or per day and account, so a year of 100 accounts (about 220,000 rows per
 * dimension) reaches Node as a few thousand rows; lib/cost/series.ts shapes them.
 *
 * All charts read the LINKED_ACCOUNT x USAGE_TYPE rows: every filter applies to them (the
 * account is the key; the region is the usage type's billing code), so the by-account and the
 * by-region views of one filter are the same money. The REGION x USAGE_TYPE rows are AWS's own
 * split by region; the tests hold the usage-type regions against them.
 */

const ACCOUNT_DIMENSION = "LINKED_ACCOUNT";


export interface CostFilter {
  accounts?: readonly string[];
  regions?: readonly string[];
  categories?: readonly CostCategory[];
}

const isFiltered = (filter: CostFilter) => Boolean(filter.accounts?.length || filter.regions?.length || filter.categories?.length);

/** The usage types ever collected (discovered through GetDimensionValues; a superset of the rows' own). */
export async function listCostUsageTypes(): Promise<string[]> {
  const { rows } = await getPool().query<{ usageType: string }>(`SELECT "usageType" FROM "CostUsageType" ORDER BY "usageType"`);
  return rows.map((r) => r.usageType);
}

/**
 * A filter as SQL conditions on "key" and "usageType". Regions and categories become the list of
 * usage types they keep (a region is read from the usage type's billing code, a category from its
 * name), so the query stays an index-friendly `= ANY($n)`.
 */
function conditions(filter: CostFilter, usageTypes: readonly string[], params: unknown[]): string {
  const parts: string[] = [];
  if (filter.accounts?.length) {
    params.push(filter.accounts);
    parts.push(`"key" = ANY($${params.length}::text[])`);
  }
  if (filter.regions?.length || filter.categories?.length) {
    const kept = usageTypes.filter(
      (u) => (!filter.regions?.length || filter.regions.includes(regionForUsageType(u) ?? "")) && (!filter.categories?.length || filter.categories.includes(categoryOf(u))),
    );
    params.push(kept);
    parts.push(`"usageType" = ANY($${params.length}::text[])`);
  }
  return parts.map((p) => ` AND ${p}`).join("");
}

export interface CostCoverage {
  /** The first and last day of daily rows, and the first and last month of monthly rows (inclusive); null before any. */
  firstDay: string | null;
  lastDay: string | null;
  firstMonth: string | null;
  lastMonth: string | null;
}

export async function getCostCoverage(): Promise<CostCoverage & { version: string }> {
  const { rows } = await getPool().query<CostCoverage & { target: number | null; names: string | null }>(
    `SELECT (SELECT to_char(min("date"), 'YYYY-MM-DD') FROM "CostDaily" WHERE "dimension" = $1) AS "firstDay",
            (SELECT to_char(max("date"), 'YYYY-MM-DD') FROM "CostDaily" WHERE "dimension" = $1) AS "lastDay",
            (SELECT to_char(min("month"), 'YYYY-MM-DD') FROM "CostMonthly" WHERE "dimension" = $1) AS "firstMonth",
            (SELECT to_char(max("month"), 'YYYY-MM-DD') FROM "CostMonthly" WHERE "dimension" = $1) AS "lastMonth",
            (SELECT max("id") FROM "CollectionTarget" WHERE "kind" = 'cost' AND "status" IN ('done', 'failed')) AS "target",
            (SELECT to_char(max("updatedAt"), 'YYYY-MM-DD"T"HH24:MI:SS.MS') FROM "AwsAccount") AS "names"`,
    [ACCOUNT_DIMENSION],
  );
  const { target, names, ...coverage } = rows[0];
  // Cost rows are written only by a Cost Explorer read, which finishes its target afterwards: the
  // newest finished target and the stored bounds change whenever the rows can have. The accounts'
  // last change covers the names the charts print.
  return { ...coverage, version: [target ?? "none", names ?? "none", coverage.firstDay, coverage.lastDay, coverage.firstMonth, coverage.lastMonth].join("/") };
}

/** Daily cost per usage type over [from, to] (inclusive days), summed over the filter's accounts. */
export async function getDailyByUsageType(from: string, to: string, filter: CostFilter, usageTypes: readonly string[]): Promise<UsageTypeAmount[]> {
  const params: unknown[] = [ACCOUNT_DIMENSION, from, to];
  const { rows } = await getPool().query<UsageTypeAmount>(
    `SELECT to_char("date", 'YYYY-MM-DD') AS "period", "usageType", sum("amount")::text AS "amount", bool_or("estimated") AS "estimated"
       FROM "CostDaily" WHERE "dimension" = $1 AND "date" BETWEEN $2::date AND $3::date${conditions(filter, usageTypes, params)}
      GROUP BY "date", "usageType"`,
    params,
  );
  return rows;
}

/** Monthly cost per usage type over [fromMonth, toMonth] (first days, inclusive). */
export async function getMonthlyByUsageType(fromMonth: string, toMonth: string, filter: CostFilter, usageTypes: readonly string[]): Promise<UsageTypeAmount[]> {
  const params: unknown[] = [ACCOUNT_DIMENSION, fromMonth, toMonth];
  const { rows } = await getPool().query<UsageTypeAmount>(
    `SELECT to_char("month", 'YYYY-MM-DD') AS "period", "usageType", sum("amount")::text AS "amount", bool_or("estimated") AS "estimated"
       FROM "CostMonthly" WHERE "dimension" = $1 AND "month" BETWEEN $2::date AND $3::date${conditions(filter, usageTypes, params)}
      GROUP BY "month", "usageType"`,
    params,
  );
  return rows;
}

/**
 * Daily cost per linked account over [from, to], the `top` accounts by cost over the whole range
 * named and the rest already summed as account null (so a year of 100 accounts is 365 x (top + 1)
 * rows, not 36,500), with how many accounts had cost.
 */
export async function getDailyByAccount(from: string, to: string, filter: CostFilter, usageTypes: readonly string[], top: number): Promise<{ rows: AccountAmount[]; accounts: number }> {
  const params: unknown[] = [ACCOUNT_DIMENSION, from, to, top];
  const { rows } = await getPool().query<AccountAmount & { accounts: number }>(
    `WITH d AS (
       SELECT "date", "key", sum("amount") AS "amount", bool_or("estimated") AS "estimated"
         FROM "CostDaily" WHERE "dimension" = $1 AND "date" BETWEEN $2::date AND $3::date${conditions(filter, usageTypes, params)}
        GROUP BY "date", "key"),
     r AS (SELECT "key", row_number() OVER (ORDER BY sum("amount") DESC, "key") AS "rank", count(*) OVER () AS "accounts" FROM d GROUP BY "key")
     SELECT to_char(d."date", 'YYYY-MM-DD') AS "period", CASE WHEN r."rank" <= $4 THEN d."key" END AS "account",
            sum(d."amount")::text AS "amount", bool_or(d."estimated") AS "estimated", max(r."accounts")::int AS "accounts"
       FROM d JOIN r USING ("key")
      GROUP BY d."date", 2`,
    params,
  );
  return { rows: rows.map(({ accounts: _accounts, ...row }) => row), accounts: rows[0]?.accounts ?? 0 };
}

/**
 * Every (account, usage type) daily series over [from, to], for anomaly detection: day offsets from
 * `from` and amounts in micro-dollars (a decision, not a total: totals come from the numeric sums).
 * One text per series, "offset amount offset amount ...", unordered: PostgreSQL hashes the groups
 * instead of sorting 70,000 rows (a little more work memory keeps the hash in memory), and
 * splitting a string is several times faster in Node than parsing float8[] arrays.
 */
export async function getDailySeries(from: string, to: string, filter: CostFilter, usageTypes: readonly string[]): Promise<DailySeries[]> {
  const params: unknown[] = [ACCOUNT_DIMENSION, from, to];
  const client = await getPool().connect();
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL work_mem = '32MB'");
    const { rows } = await client.query<{ account: string; usageType: string; values: string; estimated: string | null }>(
      `SELECT "key" AS "account", "usageType", string_agg(("date" - $2::date) || ' ' || round("amount" * 1000000), ' ') AS "values",
              string_agg(("date" - $2::date)::text, ' ') FILTER (WHERE "estimated") AS "estimated"
         FROM "CostDaily" WHERE "dimension" = $1 AND "date" BETWEEN $2::date AND $3::date${conditions(filter, usageTypes, params)}
        GROUP BY "key", "usageType"`,
      params,
    );
    await client.query("COMMIT");
    return rows.map((row) => {
      const parts = row.values.split(" ");
      const offsets = new Array<number>(parts.length / 2);
      const amounts = new Array<number>(parts.length / 2);
      for (let i = 0; i < offsets.length; i++) {
        offsets[i] = Number(parts[2 * i]);
        amounts[i] = Number(parts[2 * i + 1]) / 1e6;
      }
      return { account: row.account, usageType: row.usageType, offsets, amounts, estimated: row.estimated ? row.estimated.split(" ").map(Number) : [] };
    });
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface StoredForecast extends ForecastInput {
  runId: number;
}

/** The newest run's forecast periods (this month's rest, next month), oldest first; [] before any. */
export async function getLatestForecast(): Promise<StoredForecast[]> {
  const { rows } = await getPool().query<StoredForecast>(
    `SELECT "runId", to_char("startDate", 'YYYY-MM-DD') AS "start", to_char("endDate", 'YYYY-MM-DD') AS "end",
            "mean"::text AS "mean", "lower"::text AS "lower", "upper"::text AS "upper"
       FROM "CostForecast" WHERE "runId" = (SELECT max("runId") FROM "CostForecast") ORDER BY "startDate"`,
  );
  return rows;
}

/** Cost Explorer requests sent by runs created since `since` (UTC), and what they cost (USD 0.01 each). */
export async function getCostExplorerRequests(since: string): Promise<{ since: string; requests: number; usd: number }> {
  const { rows } = await getPool().query<{ requests: number }>(
    `SELECT coalesce(sum("costExplorerRequests"), 0)::int AS "requests" FROM "CollectionRun" WHERE "createdAt" >= $1::timestamp`,
    [since],
  );
  const requests = rows[0]?.requests ?? 0;
  return { since, requests, usd: costExplorerRequestsUsd(requests) };
}

export interface CostReadError {
  accountId: string;
  region: string;
  /** "ce:GetCostAndUsage". */
  operation: string;
  errorName: string;
  message: string;
}

export interface CostStatus {
  /** The Cost Explorer role is set (Settings key costExplorer). */
  configured: boolean;
  /** The payer account of the configured role. */
  roleArn: string | null;
  /** The newest finished read of Cost Explorer. */
  last: { runId: number; status: "done" | "failed"; accountId: string; finishedAt: Date | null; error: CostReadError | null } | null;
  /** What failed inside that read without stopping it (a forecast, the usage-type list). */
  partialErrors: CostReadError[];
  /** A newer read is queued or running. */
  inProgress: { runId: number } | null;
}

export async function getCostStatus(): Promise<CostStatus> {
  const pool = getPool();
  const [setting, targets] = await Promise.all([
    pool.query<{ value: unknown }>(`SELECT "value" FROM "Setting" WHERE "key" = 'costExplorer'`),
    pool.query<{ id: number; runId: number; status: string; accountId: string; finishedAt: Date | null; errorName: string | null; errorOperation: string | null; error: string | null }>(
      `(SELECT "id", "runId", "status"::text, "accountId", "finishedAt", "errorName", "errorOperation", "error" FROM "CollectionTarget"
         WHERE "kind" = 'cost' AND "status" IN ('done', 'failed') ORDER BY "runId" DESC LIMIT 1)
       UNION ALL
       (SELECT t."id", t."runId", t."status"::text, t."accountId", t."finishedAt", NULL, NULL, NULL FROM "CollectionTarget" t JOIN "CollectionRun" r ON r."id" = t."runId"
         WHERE t."kind" = 'cost' AND t."status" IN ('pending', 'running') AND r."status" IN ('queued', 'running') ORDER BY t."runId" DESC LIMIT 1)`,
    ),
  ]);
  const costExplorer = parseSetting("costExplorer", setting.rows[0]?.value);
  const last = targets.rows.find((t) => t.status === "done" || t.status === "failed");
  const open = targets.rows.find((t) => t.status === "pending" || t.status === "running");
  const { rows: errors } = last
    ? await pool.query<{ accountId: string; region: string; service: string; operation: string; errorName: string; message: string }>(
        `SELECT "accountId", "region", "service", "operation", "errorName", "message" FROM "CollectionError" WHERE "targetId" = $1 ORDER BY "id"`,
        [last.id],
      )
    : { rows: [] };
  const lastError: CostReadError | null =
    last?.status === "failed"
      ? { accountId: last.accountId, region: "global", operation: last.errorOperation ?? "ce:GetCostAndUsage", errorName: last.errorName ?? "Error", message: last.error ?? "the Cost Explorer read failed" }
      : null;
  return {
    configured: costExplorer !== null,
    roleArn: costExplorer?.roleArn ?? null,
    last: last ? { runId: last.runId, status: last.status as "done" | "failed", accountId: last.accountId, finishedAt: last.finishedAt, error: lastError } : null,
    partialErrors: last?.status === "done" ? errors.map((e) => ({ accountId: e.accountId, region: e.region, operation: `${e.service}:${e.operation}`, errorName: e.errorName, message: e.message })) : [],
    inProgress: open && (!last || open.runId > last.runId) ? { runId: open.runId } : null,
  };
}

export interface CostAccountOption {
  id: string;
  name: string | null;
}

/**
 * The linked accounts that have monthly cost rows, with their names where Portwatch knows the
 * account. A loose index scan on the primary key (dimension, key, ...): one probe per account.
 */
export async function listCostAccounts(): Promise<CostAccountOption[]> {
  const { rows } = await getPool().query<CostAccountOption>(
    `WITH RECURSIVE k AS (
       (SELECT "key" FROM "CostMonthly" WHERE "dimension" = $1 ORDER BY "key" LIMIT 1)
       UNION ALL
       SELECT (SELECT m."key" FROM "CostMonthly" m WHERE m."dimension" = $1 AND m."key" > k."key" ORDER BY m."key" LIMIT 1) FROM k WHERE k."key" IS NOT NULL)
     SELECT k."key" AS "id", a."name" FROM k LEFT JOIN "AwsAccount" a ON a."id" = k."key" WHERE k."key" IS NOT NULL ORDER BY k."key"`,
    [ACCOUNT_DIMENSION],
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The page's whole view

/** Accounts drawn on their own in the by-account chart; the rest are "other accounts". */
export const TOP_ACCOUNTS = 8;
/** Months in the monthly chart: this one (to date) and the twelve before. */
export const CHART_MONTHS = 13;
/** Anomalies the page lists (the largest; the CSV has them all); every anomalous day is marked on the chart. */
export const MAX_ANOMALIES = 50;

export interface CostView {
  today: string;
  filter: CostFilter;
  filtered: boolean;
  coverage: CostCoverage;
  range: { from: string; to: string; days: number };
  monthly: Stacked;
  daily: { byCategory: Stacked; byAccount: Stacked; byRegion: Stacked };
  /** Every anomaly in the range, the largest excess first. */
  anomalies: Anomaly[];
  /** The days with one, newest first. */
  anomalousDays: { date: string; excess: number; count: number; top: Anomaly }[];
  monthToDate: { from: string; to: string; amount: number; estimated: boolean } | null;
  lastFullMonth: { month: string; amount: number; estimated: boolean } | null;
  change: { toDate: Change | null; lastFullMonth: Change | null };
  /** Null when filtered (Cost Explorer forecasts all of ECR), or without a forecast for this month. */
  forecast: MonthEndForecast | null;
  requests: { since: string; requests: number; usd: number };
  options: { accounts: CostAccountOption[]; regions: string[] };
}

/**
 * Everything the Costs page and its CSV downloads show for a range (days) and filter, as of
 * `now` (UTC). Two rounds of queries: what bounds the range, then the range's rows side by side;
 * a view already computed for the same stored data is served from memory (`cache: false` skips it).
 */
export async function getCostView(days: number, filter: CostFilter, options: { now?: Date; cache?: boolean } = {}): Promise<CostView> {
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const thisMonth = monthOf(today);
  const [{ version, ...coverage }, requests] = await Promise.all([getCostCoverage(), getCostExplorerRequests(thisMonth)]);
  const key = JSON.stringify([version, today, days, filter.accounts ?? [], filter.regions ?? [], filter.categories ?? []]);
  const cached = options.cache === false ? undefined : viewCache.get(key);
  if (cached) {
    // Most recently used last, so the oldest goes first.
    viewCache.delete(key);
    viewCache.set(key, cached);
    return { ...cached, requests };
  }
  const view = await computeCostView(days, filter, today, coverage, requests);
  if (options.cache !== false) {
    viewCache.set(key, view);
    if (viewCache.size > VIEW_CACHE_SIZE) viewCache.delete(viewCache.keys().next().value!);
  }
  return view;
}

/**
 * Views already computed, by data version, day and query. Cost rows change only when a Cost
 * Explorer read lands (a few times a day), while the page is read far more often; a new read
 * changes the version, so nothing stale is served. Per process: each web process fills its own.
 */
const viewCache = new Map<string, CostView>();
const VIEW_CACHE_SIZE = 16;

async function computeCostView(days: number, filter: CostFilter, today: string, coverage: CostCoverage, requests: CostView["requests"]): Promise<CostView> {
  const thisMonth = monthOf(today);
  const [usageTypes, accounts, forecasts] = await Promise.all([listCostUsageTypes(), listCostAccounts(), getLatestForecast()]);
  const range = rangeFor(days, today, coverage.lastDay);
  const lastMonth = addMonths(thisMonth, -1);
  // Daily rows from the earlier of the range and last month's first day: month over month needs both.
  const dailyFrom = range.from < lastMonth ? range.from : lastMonth;
  const firstMonth = addMonths(thisMonth, -(CHART_MONTHS - 1));
  const baselineFrom = addDays(range.from, -DEFAULT_ANOMALY_OPTIONS.window);
  const [daily, monthly, byAccount, series] = await Promise.all([
    getDailyByUsageType(dailyFrom, range.to, filter, usageTypes),
    getMonthlyByUsageType(firstMonth, thisMonth, filter, usageTypes),
    getDailyByAccount(range.from, range.to, filter, usageTypes, TOP_ACCOUNTS),
    getDailySeries(baselineFrom, range.to, filter, usageTypes),
  ]);

  const names = Object.fromEntries(accounts.filter((a) => a.name).map((a) => [a.id, a.name!]));
  const dayFrame = { periods: dayRange(range.from, range.to), collected: { from: coverage.firstDay, to: coverage.lastDay } };
  const monthFrame = { periods: monthRange(firstMonth, thisMonth), collected: { from: coverage.firstMonth, to: coverage.lastMonth } };
  const anomalies = detectAnomalies(baselineFrom, series, range);
  const byDay = anomalyDays(anomalies);
  const toDate = coverage.lastDay && coverage.lastDay >= thisMonth ? sumRows(daily, thisMonth, coverage.lastDay) : null;
  const lastFull = coverage.firstMonth && coverage.firstMonth <= lastMonth && coverage.lastMonth && coverage.lastMonth >= lastMonth ? sumRows(monthly, lastMonth, lastMonth) : null;
  const filtered = isFiltered(filter);
  return {
    today,
    filter,
    filtered,
    coverage,
    range: { ...range, days },
    monthly: stackByCategory(monthly, monthFrame),
    daily: {
      byCategory: stackByCategory(daily, dayFrame),
      byAccount: stackByAccount(byAccount.rows, dayFrame, { top: TOP_ACCOUNTS, names, accounts: byAccount.accounts }),
      byRegion: stackByRegion(daily, dayFrame),
    },
    anomalies: [...anomalies].sort((a, b) => b.excess - a.excess || (a.date < b.date ? 1 : -1)),
    anomalousDays: [...byDay.entries()].map(([date, d]) => ({ date, ...d })).sort((a, b) => (a.date < b.date ? 1 : -1)),
    monthToDate: toDate && coverage.lastDay ? { from: thisMonth, to: coverage.lastDay, amount: toUsd(toDate.units), estimated: toDate.estimated } : null,
    lastFullMonth: lastFull ? { month: lastMonth, amount: toUsd(lastFull.units), estimated: lastFull.estimated } : null,
    change: { toDate: monthToDateChange(daily, today, dayFrame.collected), lastFullMonth: lastFullMonthChange(monthly, today, monthFrame.collected) },
    forecast: filtered ? null : forecastToMonthEnd(daily, forecasts, today),
    requests,
    options: {
      accounts,
      regions: [...new Set(usageTypes.map((u) => regionForUsageType(u)).filter((r): r is string => r !== null))].sort(),
    },
  };
}
