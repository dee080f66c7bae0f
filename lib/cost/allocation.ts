import { regionForUsageType } from "@/lib/aws/region-billing-codes";
import { monthlyUsd, type StoragePrices, storagePriceFor } from "./pricing";

/**
 * What each repository costs. Cost Explorer bills ECR storage per account and region (the usage
 * type carries the region's billing code), never per repository, so a repository's actual cost is
 * its account-region's storage bill shared out in proportion to the bytes each repository stores.
 * Money is integer micro-dollars (USD 10^-6) from here on: shares are rounded once, with the
 * largest-remainder method, so a region's shares add up exactly to its bill.
 */

/** The days of Cost Explorer data an allocation covers: the newest `COST_WINDOW_DAYS` days with data. */
export const COST_WINDOW_DAYS = 30;

export const MICROS_PER_USD = 1_000_000;

/** ECR storage usage types: `USE1-TimedStorage-ByteHrs`, `EU-TimedStorage-ByteHrs`, and archive storage. */
export function isStorageUsageType(usageType: string): boolean {
  return /(^|-)TimedStorage(-|$)/.test(usageType);
}

// CostDaily amounts are numeric(20, 10): summed as integers of 10^-10 USD, they add up exactly.
const AMOUNT_SCALE = 10;

/** A decimal text ("12.3456", "-0.5", "3") as an integer number of 10^-scale units, rounded half away from zero. */
export function decimalToUnits(text: string, scale: number): bigint {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) throw new Error(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ""] = match;
  const kept = fraction.slice(0, scale).padEnd(scale, "0");
  let units = BigInt(whole || "0") * 10n ** BigInt(scale) + BigInt(kept || "0");
  if (fraction.length > scale && Number(fraction[scale]) >= 5) units += 1n;
  return sign === "-" ? -units : units;
}

/** Integer units of 10^-from as 10^-to units (to < from), rounded half away from zero. */
function rescale(units: bigint, from: number, to: number): bigint {
  const divisor = 10n ** BigInt(from - to);
  const magnitude = units < 0n ? -units : units;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return units < 0n ? -rounded : rounded;
}

export interface UsageCostRow {
  accountId: string;
  usageType: string;
  /** USD as Cost Explorer stored it (decimal text), summed over the window. */
  amount: string;
  /** Whether any day of it is still estimated by AWS. */
  estimated: boolean;
}

export interface RegionStorageCost {
  accountId: string;
  region: string;
  /** USD over the window, in micro-dollars. */
  micros: bigint;
  estimated: boolean;
}

/**
 * Each account-region's storage cost from Cost Explorer rows grouped by account and usage type.
 * Usage types that are not storage are left out; a storage usage type whose billing code names no
 * region we know is reported, never guessed into a region.
 */
export function storageCostByRegion(rows: readonly UsageCostRow[]): { costs: RegionStorageCost[]; unknownUsageTypes: string[] } {
  const sums = new Map<string, { accountId: string; region: string; units: bigint; estimated: boolean }>();
  const unknown = new Set<string>();
  for (const row of rows) {
    if (!isStorageUsageType(row.usageType)) continue;
    const region = regionForUsageType(row.usageType);
    if (region === null) {
      unknown.add(row.usageType);
      continue;
    }
    const key = `${row.accountId}/${region}`;
    const sum = sums.get(key) ?? { accountId: row.accountId, region, units: 0n, estimated: false };
    sum.units += decimalToUnits(row.amount, AMOUNT_SCALE);
    sum.estimated ||= row.estimated;
    sums.set(key, sum);
  }
  const costs = [...sums.values()]
    .map((s) => ({ accountId: s.accountId, region: s.region, micros: rescale(s.units, AMOUNT_SCALE, 6), estimated: s.estimated }))
    .sort((a, b) => (a.accountId === b.accountId ? (a.region < b.region ? -1 : a.region > b.region ? 1 : 0) : a.accountId < b.accountId ? -1 : 1));
  return { costs, unknownUsageTypes: [...unknown].sort() };
}

export interface Share {
  /** Breaks ties between equal remainders (ascending, by UTF-16 code unit: the ARN). */
  key: string;
  /** Stored bytes (any non-negative integer weight). */
  weight: bigint;
}

/**
 * `totalMicros` split in proportion to the weights, each share a whole number of micro-dollars,
 * adding up exactly to the total: every share gets the floor of its exact part, and the micros
 * left over go one each to the largest remainders (ties: the smaller key first). A negative total
 * (a credit) is split as its magnitude, negated. The weights must not all be zero: that cost has
 * nothing to be allocated to (the caller shows it as unallocated).
 */
export function allocateMicros(totalMicros: bigint, shares: readonly Share[]): bigint[] {
  const totalWeight = shares.reduce((sum, s) => sum + s.weight, 0n);
  if (totalWeight <= 0n) throw new Error("no stored bytes to allocate the cost to");
  if (shares.some((s) => s.weight < 0n)) throw new Error("a weight is negative");
  const magnitude = totalMicros < 0n ? -totalMicros : totalMicros;
  const floors = shares.map((s) => (magnitude * s.weight) / totalWeight);
  // Compared within one total weight, the integer remainders order exactly as the fractions do.
  const remainders = shares.map((s) => (magnitude * s.weight) % totalWeight);
  let leftover = magnitude - floors.reduce((sum, f) => sum + f, 0n);
  const order = shares.map((_, i) => i).sort((a, b) => (remainders[a] === remainders[b] ? (shares[a].key < shares[b].key ? -1 : shares[a].key > shares[b].key ? 1 : 0) : remainders[a] > remainders[b] ? -1 : 1));
  for (const i of order) {
    if (leftover === 0n) break;
    floors[i] += 1n;
    leftover -= 1n;
  }
  return totalMicros < 0n ? floors.map((f) => -f) : floors;
}

export interface RepositoryStorage {
  arn: string;
  accountId: string;
  region: string;
  storedBytes: number;
  storedBytesExact: boolean;
}

export interface RepositoryAllocation extends RepositoryStorage {
  /** The repository's share of its account-region's storage cost; null when that cost is unknown or could not be shared (no stored bytes). */
  allocatedMicros: bigint | null;
  /** The account-region's storage cost it is a share of; null when Cost Explorer has none for it. */
  regionMicros: bigint | null;
  regionStoredBytes: number;
  /** List price: stored bytes a month at the region's storage price, in micro-dollars. */
  listMicros: bigint;
}

export interface Allocation {
  repositories: RepositoryAllocation[];
  /** Account-regions with a storage cost but no stored bytes to share it by (all of it is unallocated). */
  unallocated: RegionStorageCost[];
}

/** USD a month at list price for `bytes` stored in `region`, as micro-dollars. */
export function listPriceMicros(bytes: number, region: string, prices: StoragePrices): bigint {
  return BigInt(Math.round(monthlyUsd(bytes, storagePriceFor(region, prices)) * MICROS_PER_USD));
}

/** Every repository's share of its account-region's storage cost, and its list-price estimate. */
export function allocateStorageCost(repositories: readonly RepositoryStorage[], costs: readonly RegionStorageCost[], prices: StoragePrices): Allocation {
  const byRegion = new Map<string, RepositoryStorage[]>();
  for (const repository of repositories) {
    const key = `${repository.accountId}/${repository.region}`;
    byRegion.set(key, [...(byRegion.get(key) ?? []), repository]);
  }
  const costOf = new Map(costs.map((c) => [`${c.accountId}/${c.region}`, c]));
  const out: RepositoryAllocation[] = [];
  const unallocated: RegionStorageCost[] = [];
  for (const cost of costs) {
    const members = byRegion.get(`${cost.accountId}/${cost.region}`) ?? [];
    if (cost.micros !== 0n && members.every((m) => m.storedBytes <= 0)) unallocated.push(cost);
  }
  for (const [key, members] of byRegion) {
    const cost = costOf.get(key) ?? null;
    const regionStoredBytes = members.reduce((sum, m) => sum + m.storedBytes, 0);
    const shares = cost && regionStoredBytes > 0 ? allocateMicros(cost.micros, members.map((m) => ({ key: m.arn, weight: BigInt(m.storedBytes) }))) : null;
    members.forEach((member, i) =>
      out.push({ ...member, allocatedMicros: shares ? shares[i] : null, regionMicros: cost?.micros ?? null, regionStoredBytes, listMicros: listPriceMicros(member.storedBytes, member.region, prices) }),
    );
  }
  return { repositories: out, unallocated };
}
