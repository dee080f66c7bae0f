import { billingCode } from "../aws/region-billing-codes";
import { getRegistry, registryStoredBytes } from "./ecr-model";
import type { SandboxAccount, SandboxOrganization } from "./organization";
import { rngFor } from "./rng";

/**
 * The sandbox's ECR cost table, generated on demand from the seed: nothing is precomputed, and
 * the only thing memoised is, per registry, its usage types and its stored bytes (one number).
 * Every amount is a pure function of (seed, account, region, usage type, day), so a DAILY sum
 * equals the MONTHLY figure and any grouping sums to the ungrouped total.
 *
 * The cost model, in USD (unblended = blended = amortized = net: no discounts in the sandbox):
 * - `<R>-TimedStorage-ByteHrs` (GB-Mo): storedGiB(day) / daysInMonth(day) GB-months a day at
 *   $0.10 per GB-month, where storedGiB(day) = registryStoredBytes / 2^30 x (1 + g)^(-(today - day) / 365)
 *   and g, the registry's yearly growth, is drawn in [0.25, 0.90]: a year ago it stored 1 / (1 + g) of today.
 * - `<R>-DataTransfer-Out-Bytes` (GB, to the internet, $0.09; $0.114 from Sydney), for the registries
 *   pulled from outside AWS; `<R>-DataTransfer-Regional-Bytes` (GB, cross-AZ, $0.01); and for a
 *   registry that replicates, `<R>-<D>-AWS-Out-Bytes` (GB, inter-region, $0.02; $0.098 from Sydney).
 *   Transfer a day = storedGiB(day) x the registry's ratio x a weekday factor x log-normal noise
 *   (mean 1) x, on about 2% of days, a spike of 3 to 8 times.
 * - <R> and <D> are AWS's region billing codes (USE1, USW2, EU for eu-west-1, APS2, ...).
 * - Data runs from 14 months back to yesterday (today, org.now's date, has none yet: Cost Explorer
 *   lags a day), and from the day an account joined the organisation; the last 2 days are estimated.
 *   Only ACTIVE member accounts have costs, in the regions they have enabled.
 */

export const ECR_SERVICE_NAME = "Amazon EC2 Container Registry (ECR)";

// The billing codes are an AWS fact the app reads back too; re-exported for the sandbox's own tests.
export { billingCode };

const DAY = 86_400_000;
const GIB = 1024 ** 3;
const STORAGE_USD_PER_GB_MONTH = 0.1;
export const HISTORY_MONTHS = 14;
export const ESTIMATED_DAYS = 2;
const SPIKE_CHANCE = 0.02;
const SPIKE_MIN = 3;
const SPIKE_MAX = 8;
const NOISE_SIGMA = 0.3;
/** Fewer pulls at the weekend (CI is quieter); the factors average 1 over a week. */
const WEEKEND_FACTOR = 0.55;
const WEEKDAY_FACTOR = (7 - 2 * WEEKEND_FACTOR) / 5;

/** USD per GB sent to the internet, and to another region, from a region. */
const egressPrice = (region: string) => (region === "ap-southeast-2" ? 0.114 : 0.09);
const interRegionPrice = (region: string) => (region === "ap-southeast-2" ? 0.098 : 0.02);
const REGIONAL_PRICE = 0.01;

type SeriesKind = "storage" | "internet-out" | "regional" | "inter-region";

/** One row family of the cost table: (account, region, usage type), one value a day. */
export interface CostSeries {
  accountId: string;
  region: string;
  usageType: string;
  unit: "GB-Mo" | "GB";
  kind: SeriesKind;
  usdPerUnit: number;
  /** Transfer: GB a day per stored GiB, before the weekday factor, noise and spikes. */
  ratio: number;
  /** The first day (days since the Unix epoch) with data. */
  firstDay: number;
}

interface RegistryCosts {
  series: CostSeries[];
  /** Yearly growth of the stored bytes (0.4 = 40% more than a year ago). */
  growth: number;
  bytesNow?: number;
}

const memo = new WeakMap<SandboxOrganization, Map<string, RegistryCosts>>();

// ---------------------------------------------------------------------------------------------
// Days

export const dayOf = (date: Date) => Math.floor(date.getTime() / DAY);
export const formatDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
export const todayOf = (org: SandboxOrganization) => dayOf(org.now);

function daysInMonth(day: number): number {
  const d = new Date(day * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

export function monthStart(day: number): number {
  const d = new Date(day * DAY);
  return dayOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
}

/** The same day of the month `months` later, clamped to the month's last day. */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * DAY);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return dayOf(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d.getUTCDate(), last))));
}

/** The first day Cost Explorer keeps (14 months back, from the first of that month). */
export const historyStart = (org: SandboxOrganization) => monthStart(addMonths(todayOf(org), -HISTORY_MONTHS));

// ---------------------------------------------------------------------------------------------
// The cost model

function activeAccounts(org: SandboxOrganization): SandboxAccount[] {
  return org.accounts.filter((a) => a.status === "ACTIVE");
}

function registryCosts(org: SandboxOrganization, accountId: string, region: string): RegistryCosts {
  let byRegistry = memo.get(org);
  if (!byRegistry) {
    byRegistry = new Map();
    memo.set(org, byRegistry);
  }
  const key = `${accountId}/${region}`;
  const cached = byRegistry.get(key);
  if (cached) return cached;

  const account = org.accounts.find((a) => a.id === accountId);
  const rng = rngFor(org.options.seed, "cost-explorer", accountId, region);
  const growth = 0.25 + rng.next() * 0.65;
  const firstDay = Math.max(historyStart(org), account ? dayOf(account.joinedAt) : Infinity);
  const code = billingCode(region);
  const base = { accountId, region, firstDay };
  const series: CostSeries[] = [{ ...base, usageType: `${code}-TimedStorage-ByteHrs`, unit: "GB-Mo", kind: "storage", usdPerUnit: STORAGE_USD_PER_GB_MONTH, ratio: 0 }];
  // Pulled from outside AWS (laptops, on-premises CI, another cloud): production more often.
  const internetP = account?.environment === "prod" ? 0.9 : 0.6;
  const internetRatio = 0.05 + rng.next() * 0.55;
  if (rng.chance(internetP)) series.push({ ...base, usageType: `${code}-DataTransfer-Out-Bytes`, unit: "GB", kind: "internet-out", usdPerUnit: egressPrice(region), ratio: internetRatio });
  series.push({ ...base, usageType: `${code}-DataTransfer-Regional-Bytes`, unit: "GB", kind: "regional", usdPerUnit: REGIONAL_PRICE, ratio: 0.01 + rng.next() * 0.05 });
  // Replication copies what is pushed: a daily churn of the stored bytes, times the share replicated.
  const destinations = [...new Set(getRegistry(org, accountId, region).replicationRules.flatMap((rule) => rule.destinations.map((d) => d.region)))].filter((d) => d !== region);
  for (const destination of destinations) {
    const churn = 0.02 + rng.next() * 0.1;
    series.push({ ...base, usageType: `${code}-${billingCode(destination)}-AWS-Out-Bytes`, unit: "GB", kind: "inter-region", usdPerUnit: interRegionPrice(region), ratio: churn });
  }
  const costs: RegistryCosts = { series, growth };
  byRegistry.set(key, costs);
  return costs;
}

function bytesNow(org: SandboxOrganization, costs: RegistryCosts, accountId: string, region: string): number {
  costs.bytesNow ??= registryStoredBytes(org, accountId, region);
  return costs.bytesNow;
}

/** GiB stored on a day: today's bytes, shrunk backwards (or grown forwards) by the registry's growth. */
function storedGib(org: SandboxOrganization, costs: RegistryCosts, accountId: string, region: string, day: number): number {
  const age = todayOf(org) - day;
  return (bytesNow(org, costs, accountId, region) / GIB) * Math.pow(1 + costs.growth, -age / 365);
}

function weekdayFactor(day: number): number {
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday === 0 || weekday === 6 ? WEEKEND_FACTOR : WEEKDAY_FACTOR;
}

interface DayValue {
  quantity: number;
  cost: number;
}

/** A series' usage and cost on a day (the day must hold data: see hasData). */
export function seriesValue(org: SandboxOrganization, s: CostSeries, day: number): DayValue {
  const costs = registryCosts(org, s.accountId, s.region);
  const gib = storedGib(org, costs, s.accountId, s.region, day);
  if (s.kind === "storage") {
    const quantity = gib / daysInMonth(day);
    return { quantity, cost: quantity * s.usdPerUnit };
  }
  const rng = rngFor(org.options.seed, "cost-explorer-day", s.accountId, s.region, s.usageType, day);
  const noise = Math.exp(NOISE_SIGMA * rng.normal() - (NOISE_SIGMA * NOISE_SIGMA) / 2);
  const spike = rng.chance(SPIKE_CHANCE) ? rng.int(SPIKE_MIN, SPIKE_MAX) : 1;
  const quantity = gib * s.ratio * weekdayFactor(day) * noise * spike;
  return { quantity, cost: quantity * s.usdPerUnit };
}

/** What the forecast expects a series to cost on a day, and the standard deviation of that. */
export function seriesExpectation(org: SandboxOrganization, s: CostSeries, day: number): { mean: number; sd: number } {
  const costs = registryCosts(org, s.accountId, s.region);
  const gib = storedGib(org, costs, s.accountId, s.region, day);
  const ahead = Math.max(1, day - todayOf(org) + 1);
  if (s.kind === "storage") {
    const mean = (gib / daysInMonth(day)) * s.usdPerUnit;
    return { mean, sd: mean * 0.01 * Math.sqrt(ahead) };
  }
  const expectedSpike = 1 + SPIKE_CHANCE * ((SPIKE_MIN + SPIKE_MAX) / 2 - 1);
  const mean = gib * s.ratio * weekdayFactor(day) * expectedSpike * s.usdPerUnit;
  return { mean, sd: mean * (NOISE_SIGMA + 0.02 * Math.sqrt(ahead)) };
}

/** The last day with data is yesterday; an account's data starts the day after it joined. */
export const lastDataDay = (org: SandboxOrganization) => todayOf(org) - 1;

/**
 * The expected daily storage cost (USD, unblended) of a registry on a date (YYYY-MM-DD): the
 * `<R>-TimedStorage-ByteHrs` amount GetCostAndUsage answers for that (account, region, day).
 * Zero where Cost Explorer has no data (before the account joined, 14 months back, today onwards).
 */
export function dailyStorageCost(org: SandboxOrganization, accountId: string, region: string, date: string): number {
  const day = dayOf(new Date(`${date}T00:00:00Z`));
  const account = org.accounts.find((a) => a.id === accountId);
  if (!account || account.status !== "ACTIVE" || !account.regions.includes(region)) return 0;
  const storage = registryCosts(org, accountId, region).series[0];
  if (day < storage.firstDay || day > lastDataDay(org)) return 0;
  return seriesValue(org, storage, day).cost;
}

/** Every series of the organisation, in a fixed order: account, region, usage type. */
export function allSeries(org: SandboxOrganization): CostSeries[] {
  return activeAccounts(org).flatMap((a) => a.regions.flatMap((region) => registryCosts(org, a.id, region).series));
}
