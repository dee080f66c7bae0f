import type { CostView } from "@/lib/db/costs";
import { CATEGORY_LABELS, type Stacked } from "@/lib/cost/series";

/**
 * The tables behind the Costs page's charts, as the page shows them and as their CSV downloads
 * hold them: one builder, so a download always has the rows of the table above its link. Pure.
 */

export const COST_TABLES = ["monthly", "daily", "accounts", "regions", "anomalies"] as const;
export type CostTableName = (typeof COST_TABLES)[number];

export function isCostTable(value: string): value is CostTableName {
  return (COST_TABLES as readonly string[]).includes(value);
}

export const TABLE_TITLES: Record<CostTableName, string> = {
  monthly: "Monthly cost by category",
  daily: "Daily cost by category",
  accounts: "Daily cost by account",
  regions: "Daily cost by region",
  anomalies: "Anomalies",
};

/** The stacked series a chart table shows, and what its first column holds. */
export function stackedOf(view: CostView, name: Exclude<CostTableName, "anomalies">): { stacked: Stacked; period: "month" | "day" } {
  switch (name) {
    case "monthly":
      return { stacked: view.monthly, period: "month" };
    case "daily":
      return { stacked: view.daily.byCategory, period: "day" };
    case "accounts":
      return { stacked: view.daily.byAccount, period: "day" };
    case "regions":
      return { stacked: view.daily.byRegion, period: "day" };
  }
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * A table as CSV: one row per collected period (a period that was not collected has no row: it
 * is not $0), USD with 6 decimals so the rows add up to the total to the cent; no total row, so
 * a spreadsheet's SUM is the total. Anomalies: one row per (day, account, usage type).
 */
export function costCsv(view: CostView, name: CostTableName): CsvTable {
  if (name === "anomalies") {
    const accountNames = new Map(view.options.accounts.map((a) => [a.id, a.name ?? ""]));
    return {
      header: ["date", "account", "account_name", "usage_type", "category", "region", "amount_usd", "expected_usd", "excess_usd", "estimated"],
      rows: view.anomalies.map((a) => [
        a.date,
        a.account,
        accountNames.get(a.account) ?? "",
        a.usageType,
        CATEGORY_LABELS[a.category],
        a.region ?? "unknown",
        a.amount.toFixed(6),
        a.expected.toFixed(6),
        a.excess.toFixed(6),
        String(a.estimated),
      ]),
    };
  }
  const { stacked, period } = stackedOf(view, name);
  const marks = new Set(view.anomalousDays.map((d) => d.date));
  const withAnomaly = name === "daily";
  return {
    header: [period, ...stacked.keys.map((k) => `${k.label} (USD)`), "total (USD)", "estimated", ...(withAnomaly ? ["anomaly"] : [])],
    rows: stacked.points
      .filter((p) => p.total !== null)
      .map((p) => {
        const exact = stacked.exact[p.period];
        return [p.period, ...stacked.keys.map((k) => exact[k.id]), exact.total, String(p.estimated), ...(withAnomaly ? [String(marks.has(p.period))] : [])];
      }),
  };
}

/** "portwatch-costs-daily-2026-08-30-to-2026-11-27.csv". */
export function csvFilename(view: CostView, name: CostTableName): string {
  const span = name === "monthly" ? `${view.monthly.points[0]?.period.slice(0, 7)}-to-${view.monthly.points.at(-1)?.period.slice(0, 7)}` : `${view.range.from}-to-${view.range.to}`;
  return `portwatch-costs-${name}-${span}.csv`;
}
