import { isAwsRegion } from "@/lib/regions";

/**
 * ECR storage prices. AWS charges $0.10 per GB-month of standard storage in most regions
 * (GB = 2^30 bytes, prorated by the hour); the regions that differ are set in Settings →
 * Compliance as "<region>=<price>" entries.
 */

const GIB = 1024 ** 3;

export interface StoragePrices {
  storagePricePerGbMonth: number;
  regionStoragePrices: Record<string, number>;
  archivePricePerGbMonth: number;
}

/** USD per GB-month of standard storage in `region`. */
export function storagePriceFor(region: string, prices: StoragePrices): number {
  return prices.regionStoragePrices[region] ?? prices.storagePricePerGbMonth;
}

/** USD a month for `bytes` held at `usdPerGbMonth`. */
export function monthlyUsd(bytes: number, usdPerGbMonth: number): number {
  return (bytes / GIB) * usdPerGbMonth;
}

/** "eu-central-1=0.11" -> { region, price }, or what is wrong with it. */
export function parseRegionPrice(entry: string): { region: string; price: number } | string {
  const match = /^([a-z0-9-]+)\s*=\s*([0-9]*\.?[0-9]+)$/.exec(entry.trim());
  if (!match) return "is not <region>=<USD per GB-month> (for example eu-central-1=0.11)";
  const [, region, text] = match;
  if (!isAwsRegion(region)) return `names ${region}, which is not a known AWS region`;
  const price = Number(text);
  if (!(price > 0) || price > 10) return "must have a price more than 0 and at most 10";
  return { region, price };
}

/**
 * Amazon Inspector's list price for an ECR image's first enhanced scan (USD per image; automated
 * rescans of continuously scanned images are billed on top, at a lower rate, whenever new CVEs
 * are published, which no collection can predict). Used for the estimate COST-06 gives.
 */
export const INSPECTOR_INITIAL_SCAN_USD = 0.09;

/** USD for `requests` Cost Explorer API requests: AWS bills each one a cent (in whole cents: 0.01 x n in floating point prints 0.07 as 0.06999…). */
export function costExplorerRequestsUsd(requests: number): number {
  return requests / 100;
}
