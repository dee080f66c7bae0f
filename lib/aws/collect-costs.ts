import {
  CostExplorerClient,
  type Expression,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
} from "@aws-sdk/client-cost-explorer";
import { type AwsCredentialsInput, type ClientOptions, callAws, createClient, emptyStats, type SendOptions } from "./clients";
import { AwsCallError } from "./errors";
import { createRateLimiter, type RateLimiter } from "./rate-limit";
import type { AwsFailure, CallStats, CostForecastRecord, CostRow } from "./types";

/**
 * ECR's cost from Cost Explorer: daily and monthly rows grouped by linked account and by region
 * (each with the usage type), the usage types ECR billed (discovered, never hard-coded), and the
 * forecast for this month and the next. USD, unblended. Cost Explorer lags about a day, so today
 * is excluded (periods end on today, exclusive). Every request costs USD 0.01: `requests`
 * counts them.
 */

export const ECR_SERVICE = "Amazon EC2 Container Registry (ECR)";
const ECR_FILTER: Expression = { Dimensions: { Key: "SERVICE", Values: [ECR_SERVICE] } };
const DAY_MS = 86_400_000;

export interface CollectCostsOptions {
  /** The Cost Explorer reader role's session (payer account); absent: the SDK's default chain. */
  credentials?: AwsCredentialsInput;
  /** The day collected "as of" (UTC); its own costs are not read. */
  today: Date;
  /** Days of daily rows on a first collection. */
  lookbackDays: number;
  /** YYYY-MM-DD: read daily rows from here (incremental runs pass the last stored day minus 3, as Cost Explorer restates recent days). */
  dailySince?: string;
  /** The payer account, to name it in a failure; default "management". */
  accountId?: string;
  client?: ClientOptions;
  limiter?: RateLimiter;
  stats?: CallStats;
  signal?: AbortSignal;
}

export interface CostCollection {
  daily: CostRow[];
  monthly: CostRow[];
  forecasts: CostForecastRecord[];
  usageTypes: string[];
  /** Cost Explorer requests sent (pages included; SDK retries of a request not counted twice). */
  requests: number;
  failures: AwsFailure[];
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function monthStart(date: Date, monthsFromNow: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsFromNow, 1));
}

/** The periods collected for `today`: YYYY-MM-DD, starts inclusive, ends exclusive. */
export function costPeriods(options: Pick<CollectCostsOptions, "today" | "lookbackDays" | "dailySince">) {
  const today = utcDay(options.today);
  const lookback = isoDay(new Date(today.getTime() - options.lookbackDays * DAY_MS));
  // An incremental start never reaches further back than the lookback window.
  const dailyStart = options.dailySince && options.dailySince > lookback ? options.dailySince : lookback;
  return {
    daily: { Start: dailyStart, End: isoDay(today) },
    // The last 13 months: 12 whole months and this one so far.
    monthly: { Start: isoDay(monthStart(today, -12)), End: isoDay(today) },
    // The rest of this month, and next month.
    forecast: { Start: isoDay(today), End: isoDay(monthStart(today, 2)) },
  };
}

const DAILY_SLICE_DAYS = 31;

/** [Start, End) cut into consecutive slices of at most `days` days (YYYY-MM-DD, End exclusive). */
export function splitPeriod(period: { Start: string; End: string }, days: number): { Start: string; End: string }[] {
  const slices: { Start: string; End: string }[] = [];
  for (let start = Date.parse(`${period.Start}T00:00:00Z`), end = Date.parse(`${period.End}T00:00:00Z`); start < end; start += days * 86_400_000) {
    slices.push({ Start: isoDay(new Date(start)), End: isoDay(new Date(Math.min(end, start + days * 86_400_000))) });
  }
  return slices;
}

export async function collectCosts(options: CollectCostsOptions): Promise<CostCollection> {
  const stats = options.stats ?? emptyStats();
  const ctx = { accountId: options.accountId ?? "management", region: "global", limiter: options.limiter ?? createRateLimiter(), stats, signal: options.signal };
  // Cost Explorer has one endpoint, in us-east-1.
  const ce = createClient(CostExplorerClient, { ...options.client, region: "us-east-1", credentials: options.credentials, stats });
  const failures: AwsFailure[] = [];
  let requests = 0;
  const call = <T>(operation: string, fn: (o: SendOptions) => Promise<T>) => {
    requests += 1;
    return callAws(ctx, "ce", operation, undefined, fn);
  };
  const periods = costPeriods(options);

  async function costAndUsage(granularity: "DAILY" | "MONTHLY", dimension: CostRow["dimension"], period: { Start: string; End: string }): Promise<CostRow[]> {
    const rows: CostRow[] = [];
    if (period.Start >= period.End) return rows;
    let token: string | undefined;
    do {
      const page = await call("GetCostAndUsage", (o) =>
        ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: period,
            Granularity: granularity,
            Metrics: ["UnblendedCost", "UsageQuantity"],
            Filter: ECR_FILTER,
            GroupBy: [
              { Type: "DIMENSION", Key: dimension },
              { Type: "DIMENSION", Key: "USAGE_TYPE" },
            ],
            NextPageToken: token,
          }),
          o,
        ),
      );
      for (const result of page.ResultsByTime ?? []) {
        const date = result.TimePeriod?.Start;
        if (!date) continue;
        for (const group of result.Groups ?? []) {
          const [key, usageType] = group.Keys ?? [];
          const cost = group.Metrics?.UnblendedCost;
          const usage = group.Metrics?.UsageQuantity;
          if (!key || !usageType || !cost?.Amount) continue;
          rows.push({
            date,
            dimension,
            key,
            usageType,
            amount: cost.Amount,
            amountUnit: cost.Unit ?? "USD",
            quantity: usage?.Amount ?? "0",
            quantityUnit: usage?.Unit ?? null,
            estimated: result.Estimated ?? false,
          });
        }
      }
      token = page.NextPageToken;
    } while (token);
    return rows;
  }

  async function usageTypes(): Promise<string[]> {
    const start = periods.daily.Start < periods.monthly.Start ? periods.daily.Start : periods.monthly.Start;
    const values = new Set<string>();
    let token: string | undefined;
    do {
      const page = await call("GetDimensionValues", (o) =>
        ce.send(new GetDimensionValuesCommand({ TimePeriod: { Start: start, End: periods.monthly.End }, Dimension: "USAGE_TYPE", Context: "COST_AND_USAGE", Filter: ECR_FILTER, NextPageToken: token }), o),
      );
      for (const v of page.DimensionValues ?? []) if (v.Value) values.add(v.Value);
      token = page.NextPageToken;
    } while (token);
    return [...values].sort();
  }

  async function forecasts(): Promise<CostForecastRecord[]> {
    const out = await call("GetCostForecast", (o) =>
      ce.send(new GetCostForecastCommand({ TimePeriod: periods.forecast, Metric: "UNBLENDED_COST", Granularity: "MONTHLY", PredictionIntervalLevel: 80, Filter: ECR_FILTER }), o),
    );
    return (out.ForecastResultsByTime ?? []).map((f) => ({
      start: f.TimePeriod?.Start ?? periods.forecast.Start,
      end: f.TimePeriod?.End ?? periods.forecast.End,
      mean: f.MeanValue ?? "0",
      lower: f.PredictionIntervalLowerBound ?? null,
      upper: f.PredictionIntervalUpperBound ?? null,
      unit: out.Total?.Unit ?? "USD",
    }));
  }

  /** A failure that leaves part of the answer unknown but the rest usable. */
  const recorded = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof AwsCallError)) throw error;
      failures.push(error.failure);
      return undefined;
    }
  };

  try {
    // One query's pages come one after another, so the biggest (daily, by account) is read in
    // month slices side by side: its pace is then Cost Explorer's rate, not one round trip at a
    // time. The client paces Cost Explorer a little under AWS's rate (rate-limit.ts).
    const slices = splitPeriod(periods.daily, DAILY_SLICE_DAYS);
    const [dailyByAccount, dailyByRegion, monthlyByAccount, monthlyByRegion, discovered, forecast] = await Promise.all([
      Promise.all(slices.map((slice) => costAndUsage("DAILY", "LINKED_ACCOUNT", slice))).then((parts) => parts.flat()),
      costAndUsage("DAILY", "REGION", periods.daily),
      costAndUsage("MONTHLY", "LINKED_ACCOUNT", periods.monthly),
      costAndUsage("MONTHLY", "REGION", periods.monthly),
      recorded(usageTypes),
      recorded(forecasts),
    ]);
    const daily = [...dailyByAccount, ...dailyByRegion];
    const monthly = [...monthlyByAccount, ...monthlyByRegion];
    return {
      daily,
      monthly,
      forecasts: forecast ?? [],
      // Without GetDimensionValues, the usage types the rows themselves name (still discovered).
      usageTypes: discovered ?? [...new Set([...daily, ...monthly].map((r) => r.usageType))].sort(),
      requests,
      failures,
    };
  } finally {
    ce.destroy();
  }
}
