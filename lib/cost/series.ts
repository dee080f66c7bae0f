import { regionForUsageType } from "@/lib/aws/region-billing-codes";
import { classifyUsageType } from "@/lib/compliance/usage-types";

/**
 * What the Costs page's charts and tables show, built from the stored Cost Explorer rows. Pure:
 * no I/O, no React; the page, its CSV downloads and the tests all read these functions.
 *
 * Money: USD, unblended, as Cost Explorer reports it. Stored amounts are Decimal(20, 10) and reach
 * us as decimal strings; every sum here is done on integers in units of 1e-10 USD (BigInt), so a
 * total equals the sum of the stored rows exactly, and only the final figure becomes a number.
 * Days are UTC calendar days, "YYYY-MM-DD"; months are their first day, "YYYY-MM-01".
 */

// ---------------------------------------------------------------------------------------------
// Money

/** 1 USD in stored units: the Decimal(20, 10) columns' scale. */
const SCALE = 10_000_000_000n;
const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

/** A decimal string ("12.3456789", "-0.5", "3") in 1e-10 USD units; a longer fraction is rounded half away from zero. */
export function parseUsd(text: string): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match || (!match[2] && !match[3])) throw new Error(`not a decimal amount: "${text.slice(0, 40)}"`);
  const [, sign, whole, fraction = ""] = match;
  let units = BigInt(`${whole || "0"}${fraction.slice(0, 10).padEnd(10, "0")}`);
  if (fraction.length > 10 && fraction[10] >= "5") units += 1n;
  return sign ? -units : units;
}

/** Units to USD as a number (split first: a BigInt past 2^53 would lose digits in one conversion). */
export function toUsd(units: bigint): number {
  return Number(units / SCALE) + Number(units % SCALE) / 1e10;
}

/** Units as an exact decimal string with `decimals` places (rounded half away from zero), for CSV. */
export function formatUnits(units: bigint, decimals = 6): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const step = 10n ** BigInt(10 - decimals);
  const rounded = (abs + step / 2n) / step;
  const scale = 10n ** BigInt(decimals);
  const text = decimals > 0 ? `${rounded / scale}.${(rounded % scale).toString().padStart(decimals, "0")}` : `${rounded}`;
  return negative && rounded !== 0n ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// Days and months (UTC)

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (day: string, days: number) => isoDay(dayMs(day) + days * DAY_MS);
export const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY_MS);
export const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

export function addMonths(month: string, months: number): string {
  const d = new Date(dayMs(month));
  return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
}

/** Every day from `from` to `to`, both included. */
export function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = dayMs(from), end = dayMs(to); ms <= end; ms += DAY_MS) out.push(isoDay(ms));
  return out;
}

/** Every month from `from` to `to` (first days), both included. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthOf(from); m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The range selector's choices, in days; the page defaults to 90. */
export const RANGE_DAYS = [30, 90, 180, 365] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];
export const DEFAULT_RANGE_DAYS: RangeDays = 90;

/**
 * The days a range covers: `days` days ending on the newest day Cost Explorer has (it lags a day,
 * so that is yesterday at best), or on yesterday before anything was collected.
 */
export function rangeFor(days: number, today: string, lastDay: string | null): { from: string; to: string } {
  const yesterday = addDays(today, -1);
  const to = lastDay && lastDay < yesterday ? lastDay : yesterday;
  return { from: addDays(to, -(days - 1)), to };
}

// ---------------------------------------------------------------------------------------------
// Categories

/**
 * The chart categories. Inter-AZ ("regional") transfer costs a cent a GB and is small beside the
 * rest, so it joins "other" with whatever usage type the classifier does not know.
 */
export const COST_CATEGORIES = ["storage", "internet-out", "inter-region", "other"] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<CostCategory, string> = {
  storage: "Storage",
  "internet-out": "Data transfer out",
  "inter-region": "Inter-region transfer",
  other: "Other",
};

export function categoryOf(usageType: string): CostCategory {
  const kind = classifyUsageType(usageType);
  return kind === "regional" ? "other" : kind;
}

export function isCostCategory(value: string): value is CostCategory {
  return (COST_CATEGORIES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Stacked series

/** A stored amount for one period (a day or a month) and one usage type, summed over what the query grouped. */
export interface UsageTypeAmount {
  period: string;
  usageType: string;
  /** USD, a decimal string as PostgreSQL's numeric prints it. */
  amount: string;
  estimated: boolean;
}

/** A stored amount for one period and one linked account; null: the accounts the query folded into "other accounts". */
export interface AccountAmount {
  period: string;
  account: string | null;
  amount: string;
  estimated: boolean;
}

export interface SeriesKey {
  id: string;
  label: string;
}

export interface StackedPoint {
  period: string;
  /** Series id -> USD (0 where that series had no cost). */
  values: Record<string, number>;
  /** USD; null when the period lies outside what was collected: a gap, never $0. */
  total: number | null;
  /** Cost Explorer marked some of the period's rows as estimated (its last days are restated). */
  estimated: boolean;
}

export interface Stacked {
  keys: SeriesKey[];
  points: StackedPoint[];
  /** USD per series over the collected periods, and in all: sums of the stored units, not of the rounded points. */
  totals: Record<string, number>;
  total: number;
  /** The same totals as exact decimal strings (6 places), for CSV. */
  exactTotals: Record<string, string>;
  exactTotal: string;
  /** Per period, per series, the exact amount (6 places), for CSV. */
  exact: Record<string, Record<string, string>>;
}

/** The periods a chart spans and the part of them that was collected (inclusive bounds). */
export interface Frame {
  periods: string[];
  collected: { from: string | null; to: string | null };
}

const isCollected = (frame: Frame, period: string) =>
  frame.collected.from !== null && frame.collected.to !== null && period >= frame.collected.from && period <= frame.collected.to;

interface Bucketed {
  period: string;
  key: string;
  units: bigint;
  estimated: boolean;
}

/** Sums rows into (period, series) cells and orders the series: by `order` when given, else by total, largest first. */
function stack(rows: Iterable<Bucketed>, frame: Frame, label: (key: string) => string, order?: readonly string[], last?: readonly string[]): Stacked {
  const inFrame = new Set(frame.periods.filter((p) => isCollected(frame, p)));
  const cells = new Map<string, Map<string, bigint>>();
  const estimated = new Set<string>();
  const byKey = new Map<string, bigint>();
  for (const row of rows) {
    if (!inFrame.has(row.period)) continue;
    let cell = cells.get(row.period);
    if (!cell) cells.set(row.period, (cell = new Map()));
    cell.set(row.key, (cell.get(row.key) ?? 0n) + row.units);
    byKey.set(row.key, (byKey.get(row.key) ?? 0n) + row.units);
    if (row.estimated) estimated.add(row.period);
  }
  const ids = order
    ? [...order]
    : [...byKey.keys()]
        .filter((k) => !last?.includes(k))
        .sort((a, b) => (byKey.get(b)! > byKey.get(a)! ? 1 : byKey.get(b)! < byKey.get(a)! ? -1 : a.localeCompare(b)))
        .concat((last ?? []).filter((k) => byKey.has(k)));
  const exact: Stacked["exact"] = {};
  const points = frame.periods.map((period): StackedPoint => {
    if (!inFrame.has(period)) return { period, values: {}, total: null, estimated: false };
    const cell = cells.get(period);
    let sum = 0n;
    const values: Record<string, number> = {};
    const exactValues: Record<string, string> = {};
    for (const id of ids) {
      const units = cell?.get(id) ?? 0n;
      sum += units;
      values[id] = toUsd(units);
      exactValues[id] = formatUnits(units);
    }
    exactValues.total = formatUnits(sum);
    exact[period] = exactValues;
    return { period, values, total: toUsd(sum), estimated: estimated.has(period) };
  });
  let all = 0n;
  const totals: Record<string, number> = {};
  const exactTotals: Record<string, string> = {};
  for (const id of ids) {
    const units = byKey.get(id) ?? 0n;
    all += units;
    totals[id] = toUsd(units);
    exactTotals[id] = formatUnits(units);
  }
  return { keys: ids.map((id) => ({ id, label: label(id) })), points, totals, total: toUsd(all), exactTotals, exactTotal: formatUnits(all), exact };
}

/** Stacked by category (storage, data transfer out, inter-region, other), always in that order. */
export function stackByCategory(rows: readonly UsageTypeAmount[], frame: Frame): Stacked {
  const bucketed = rows.map((r) => ({ period: r.period, key: categoryOf(r.usageType), units: parseUsd(r.amount), estimated: r.estimated }));
  return stack(bucketed, frame, (k) => CATEGORY_LABELS[k as CostCategory], COST_CATEGORIES);
}

/** The series id of the usage types whose billing code no region in our table has. */
export const UNKNOWN_REGION = "unknown";

/** Stacked by the region each usage type is billed in (its billing code), largest first, unknown codes last. */
export function stackByRegion(rows: readonly UsageTypeAmount[], frame: Frame): Stacked {
  const bucketed = rows.map((r) => ({ period: r.period, key: regionForUsageType(r.usageType) ?? UNKNOWN_REGION, units: parseUsd(r.amount), estimated: r.estimated }));
  return stack(bucketed, frame, (k) => (k === UNKNOWN_REGION ? "Unknown region" : k), undefined, [UNKNOWN_REGION]);
}

export const OTHER_ACCOUNTS = "other-accounts";

/**
 * Stacked by linked account: the `top` accounts with the most cost over the frame, then the rest
 * as one "other accounts" series (with any the query already folded, account null).
 */
export function stackByAccount(rows: readonly AccountAmount[], frame: Frame, options: { top: number; names?: Readonly<Record<string, string>>; accounts?: number }): Stacked {
  const inFrame = new Set(frame.periods.filter((p) => isCollected(frame, p)));
  const totals = new Map<string, bigint>();
  const parsed = rows.map((r) => ({ ...r, units: parseUsd(r.amount) }));
  for (const r of parsed) if (r.account !== null && inFrame.has(r.period)) totals.set(r.account, (totals.get(r.account) ?? 0n) + r.units);
  const top = new Set(
    [...totals.entries()]
      .sort(([a, x], [b, y]) => (y > x ? 1 : y < x ? -1 : a.localeCompare(b)))
      .slice(0, Math.max(0, options.top))
      .map(([id]) => id),
  );
  // How many accounts "other accounts" holds: the caller knows when its query folded some already.
  const others = options.accounts !== undefined ? options.accounts - top.size : totals.size - top.size;
  const bucketed = parsed.map((r) => ({ period: r.period, key: r.account !== null && top.has(r.account) ? r.account : OTHER_ACCOUNTS, units: r.units, estimated: r.estimated }));
  const label = (id: string) => {
    if (id === OTHER_ACCOUNTS) return others > 0 ? `Other accounts (${others})` : "Other accounts";
    const name = options.names?.[id];
    return name && name !== id ? `${name} (${id})` : id;
  };
  return stack(bucketed, frame, label, undefined, [OTHER_ACCOUNTS]);
}

/** The USD total of rows whose period lies in [from, to] (inclusive), and whether any was estimated. */
export function sumRows(rows: readonly { period: string; amount: string; estimated: boolean }[], from: string, to: string): { units: bigint; estimated: boolean; rows: number } {
  let units = 0n;
  let estimated = false;
  let count = 0;
  for (const r of rows) {
    if (r.period < from || r.period > to) continue;
    units += parseUsd(r.amount);
    estimated ||= r.estimated;
    count += 1;
  }
  return { units, estimated, rows: count };
}

// ---------------------------------------------------------------------------------------------
// Month over month

export interface Change {
  /** USD. */
  current: number;
  previous: number;
  delta: number;
  /** delta / previous; null when there was nothing to compare with. */
  ratio: number | null;
  estimated: boolean;
  /** The periods compared (inclusive). */
  currentFrom: string;
  currentTo: string;
  previousFrom: string;
  previousTo: string;
}

function change(current: ReturnType<typeof sumRows>, previous: ReturnType<typeof sumRows>, periods: Pick<Change, "currentFrom" | "currentTo" | "previousFrom" | "previousTo">): Change {
  const delta = current.units - previous.units;
  return {
    current: toUsd(current.units),
    previous: toUsd(previous.units),
    delta: toUsd(delta),
    ratio: previous.units === 0n ? null : Number((delta * 1_000_000n) / previous.units) / 1_000_000,
    estimated: current.estimated || previous.estimated,
    ...periods,
  };
}

/**
 * This month to date against the same days of last month (the 1st to the same day of the month,
 * clamped to last month's length), from daily rows; null when this month has no collected day yet
 * or the daily rows do not reach back to the start of last month.
 */
export function monthToDateChange(daily: readonly UsageTypeAmount[], today: string, collected: Frame["collected"]): Change | null {
  const month = monthOf(today);
  if (!collected.to || !collected.from || collected.to < month) return null;
  const lastMonth = addMonths(month, -1);
  if (collected.from > lastMonth) return null;
  const elapsed = daysBetween(month, collected.to);
  const lastMonthEnd = addDays(month, -1);
  const sameDay = addDays(lastMonth, elapsed);
  const previousTo = sameDay < lastMonthEnd ? sameDay : lastMonthEnd;
  const periods = { currentFrom: month, currentTo: collected.to, previousFrom: lastMonth, previousTo };
  return change(sumRows(daily, month, collected.to), sumRows(daily, lastMonth, previousTo), periods);
}

/** The last full month against the one before, from monthly rows; null when either was not collected. */
export function lastFullMonthChange(monthly: readonly UsageTypeAmount[], today: string, collected: Frame["collected"]): Change | null {
  const last = addMonths(monthOf(today), -1);
  const before = addMonths(last, -1);
  if (!collected.from || !collected.to || collected.from > before || collected.to < last) return null;
  return change(sumRows(monthly, last, last), sumRows(monthly, before, before), { currentFrom: last, currentTo: last, previousFrom: before, previousTo: before });
}

// ---------------------------------------------------------------------------------------------
// Forecast

/** A stored Cost Explorer forecast period: [start, end), USD, with its 80% prediction interval. */
export interface ForecastInput {
  start: string;
  end: string;
  mean: string;
  lower: string | null;
  upper: string | null;
}

export interface MonthEndForecast {
  month: string;
  /** USD actually billed this month before the forecast starts. */
  actual: number;
  actualEstimated: boolean;
  /** The forecast's first day: the day of the collection that asked for it. */
  forecastFrom: string;
  /** The rest of the month: Cost Explorer's mean and 80% interval. */
  rest: { mean: number; lower: number | null; upper: number | null };
  /** actual + rest: what the month will cost. */
  total: { mean: number; lower: number | null; upper: number | null };
  nextMonth: { month: string; mean: number; lower: number | null; upper: number | null } | null;
}

/**
 * The month's cost: what was billed before the forecast's first day plus Cost Explorer's forecast
 * of the rest (mean, and the 80% interval shifted by the same actual). Null without a forecast
 * that starts in `today`'s month (a forecast from an older month says nothing about this one).
 */
export function forecastToMonthEnd(daily: readonly UsageTypeAmount[], forecasts: readonly ForecastInput[], today: string): MonthEndForecast | null {
  const month = monthOf(today);
  const next = addMonths(month, 1);
  const current = forecasts.find((f) => f.start >= month && f.start < next && f.end <= next && f.start < f.end);
  if (!current) return null;
  const actual = sumRows(daily, month, addDays(current.start, -1));
  const plus = (value: string | null) => (value === null ? null : toUsd(actual.units + parseUsd(value)));
  const usd = (value: string | null) => (value === null ? null : toUsd(parseUsd(value)));
  const following = forecasts.find((f) => f.start === next);
  return {
    month,
    actual: toUsd(actual.units),
    actualEstimated: actual.estimated,
    forecastFrom: current.start,
    rest: { mean: toUsd(parseUsd(current.mean)), lower: usd(current.lower), upper: usd(current.upper) },
    total: { mean: toUsd(actual.units + parseUsd(current.mean)), lower: plus(current.lower), upper: plus(current.upper) },
    nextMonth: following ? { month: next, mean: toUsd(parseUsd(following.mean)), lower: usd(following.lower), upper: usd(following.upper) } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Anomalies

/** One (linked account, usage type) daily series: day offsets from a base day (any order) and their USD amounts. */
export interface DailySeries {
  account: string;
  usageType: string;
  offsets: number[];
  amounts: number[];
  /** Offsets of the days Cost Explorer marked estimated. */
  estimated: number[];
}

export interface AnomalyOptions {
  /** Days before a day that make its baseline. */
  window: number;
  /** Days of the series' own history a day needs before it is judged (a new series is not). */
  minHistory: number;
  /** How many robust standard deviations (1.4826 x MAD) above the median count as far. */
  k: number;
  /** The day must also cost at least this many times its median. */
  minRatio: number;
  /** And at least this many USD more than its median. */
  minExcessUsd: number;
}

/**
 * Why these numbers: a 28-day trailing window holds four of each weekday, so the weekly pattern of
 * transfer (quieter weekends) widens the spread instead of raising false alarms; the median and
 * the MAD ignore earlier spikes, where a mean and standard deviation would be inflated by one spike
 * for four weeks and hide the next; k = 5 leaves ordinary day-to-day noise alone (on the sandbox's
 * log-normal noise, k = 4 flagged a noise day in 30% of 90-day windows, k = 5 in 15%, each a
 * 1-in-150 day at least twice its expected cost; every spike of 3.5x and USD 1 was found either way). The
 * ratio keeps smooth series (storage, whose MAD is near 0) from being flagged for a few percent
 * (a 30- vs 31-day month changes a day's storage cost by 3%), and the USD floor keeps cent-sized
 * jumps of tiny series out of a list meant for money worth a look.
 */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { window: 28, minHistory: 14, k: 5, minRatio: 1.5, minExcessUsd: 0.5 };

/** 1 / Φ⁻¹(3/4): scales a MAD to the standard deviation of normally distributed data. */
const MAD_TO_SD = 1.4826;
/** sqrt(pi / 2): the same for a mean absolute deviation. */
const MEAN_AD_TO_SD = 1.2533;

export interface Anomaly {
  date: string;
  account: string;
  usageType: string;
  category: CostCategory;
  region: string | null;
  /** USD that day, and the series' median over the window before it. */
  amount: number;
  expected: number;
  excess: number;
  estimated: boolean;
}

function median(sorted: Float64Array, n: number): number {
  const mid = n >> 1;
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Days of a series whose cost is far above its trend (see DEFAULT_ANOMALY_OPTIONS for the rule
 * and why). Inside a series' span a day without a row cost nothing (Cost Explorer omits zero
 * groups); before its first row it has no history. Only days in [from, to] are judged; the days
 * before `from` are baseline only. Newest first, then the largest excess.
 */
export function detectAnomalies(base: string, series: readonly DailySeries[], judge: { from: string; to: string }, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): Anomaly[] {
  const out: Anomaly[] = [];
  const firstJudged = daysBetween(base, judge.from);
  const lastJudged = daysBetween(base, judge.to);
  const window = new Float64Array(options.window);
  for (const s of series) {
    if (s.offsets.length === 0) continue;
    // After its last row a series costs nothing, and nothing is not an anomaly.
    let start = s.offsets[0];
    let end = start;
    for (const offset of s.offsets) {
      if (offset < start) start = offset;
      else if (offset > end) end = offset;
    }
    const values = new Float64Array(end - start + 1);
    for (let i = 0; i < s.offsets.length; i++) values[s.offsets[i] - start] += s.amounts[i];
    const estimated = new Set(s.estimated);
    for (let day = Math.max(start + options.minHistory, firstJudged); day <= Math.min(end, lastJudged); day++) {
      const x = values[day - start];
      if (!(x >= options.minExcessUsd)) continue;
      const from = Math.max(start, day - options.window);
      const n = day - from;
      // Cheap necessary condition before sorting: the median can be at most `bound` only if at
      // least half of the window is at most `bound`.
      const bound = Math.min(x / options.minRatio, x - options.minExcessUsd);
      let below = 0;
      for (let d = from; d < day; d++) if (values[d - start] <= bound) below++;
      if (below < (n + 1) >> 1) continue;
      for (let d = from; d < day; d++) window[d - from] = values[d - start];
      const sorted = window.subarray(0, n).sort();
      const m = median(sorted, n);
      let absolute = 0;
      for (let i = 0; i < n; i++) absolute += sorted[i] = Math.abs(sorted[i] - m);
      // More than half the window at the median (a series that costs nothing most days) makes the
      // MAD 0; its spread is then the mean absolute deviation, so a regular $1 every third day is
      // its normal, not an anomaly.
      const mad = median(sorted.sort(), n);
      const spread = mad > 0 ? MAD_TO_SD * mad : MEAN_AD_TO_SD * (absolute / n);
      if (x <= m + options.k * spread || x < options.minRatio * m || x - m < options.minExcessUsd) continue;
      out.push({
        date: addDays(base, day),
        account: s.account,
        usageType: s.usageType,
        category: categoryOf(s.usageType),
        region: regionForUsageType(s.usageType),
        amount: x,
        expected: m,
        excess: x - m,
        estimated: estimated.has(day),
      });
    }
  }
  return out.sort((a, b) => (a.date === b.date ? b.excess - a.excess : a.date < b.date ? 1 : -1));
}

/** The days with at least one anomaly, with the USD above expected that day and its largest driver. */
export function anomalyDays(anomalies: readonly Anomaly[]): Map<string, { excess: number; count: number; top: Anomaly }> {
  const days = new Map<string, { excess: number; count: number; top: Anomaly }>();
  for (const a of anomalies) {
    const day = days.get(a.date);
    if (!day) days.set(a.date, { excess: a.excess, count: 1, top: a });
    else {
      day.excess += a.excess;
      day.count += 1;
      if (a.excess > day.top.excess) day.top = a;
    }
  }
  return days;
}
