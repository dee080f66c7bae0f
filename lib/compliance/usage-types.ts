/**
 * What an ECR usage type (Cost Explorer's USAGE_TYPE dimension) bills for, read from its name.
 * The usage types an account shows are discovered (GetDimensionValues), so this works on the
 * naming scheme rather than a list: `[<source code>-][<destination code>-]<kind>`, where the codes
 * are AWS's region billing codes (USE1, USW2, EU, EUC1, APN1, APS2, ...) and a usage type with no
 * code belongs to us-east-1 (Cost Explorer omits USE1 on older usage types).
 *
 * AWS (CUR user guide, "Understanding data transfer charges"):
 * - `<R>-DataTransfer-Regional-Bytes`: between Availability Zones of one region.
 * - `<S>-<D>-AWS-Out-Bytes` / `<S>-<D>-AWS-In-Bytes`: from region S to region D (only Out is charged);
 *   `<S>-AWS-Out-Bytes` / `<S>-AWS-In-Bytes` without a destination: inter-region over VPC peering.
 * - `<R>-DataTransfer-Out-Bytes`: to the internet; `<R>-DataTransfer-In-Bytes`: from it (free).
 */

export type UsageTypeKind = "storage" | "internet-out" | "inter-region" | "regional" | "other";

// Region codes are upper-case letters and digits (USE1, EU, APS2); there are at most two of them.
const CODES = "(?:[A-Z0-9]+-){0,2}";
const STORAGE = new RegExp(`^${CODES}TimedStorage-`);
// ABytes / OBytes variants exist for some transfer paths; they bill the same way.
const INTER_REGION = new RegExp(`^${CODES}AWS-(?:In|Out)-[A-Z]?Bytes$`);
const INTERNET_OUT = new RegExp(`^${CODES}DataTransfer-Out-[A-Z]?Bytes$`);
const REGIONAL = new RegExp(`^${CODES}DataTransfer-(?:Regional-Bytes|xAZ-(?:In|Out)-Bytes)$`);

const cache = new Map<string, UsageTypeKind>();

export function classifyUsageType(usageType: string): UsageTypeKind {
  const known = cache.get(usageType);
  if (known) return known;
  const kind: UsageTypeKind = STORAGE.test(usageType)
    ? "storage"
    : INTER_REGION.test(usageType)
      ? "inter-region"
      : INTERNET_OUT.test(usageType)
        ? "internet-out"
        : REGIONAL.test(usageType)
          ? "regional"
          : "other";
  // Usage types are a small, closed set per organisation: the cache stays small.
  if (cache.size < 10_000) cache.set(usageType, kind);
  return kind;
}
