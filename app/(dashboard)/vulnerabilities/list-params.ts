import { SEVERITY_ORDER } from "@/lib/severity";
import { paramReader, type SearchParams } from "@/lib/url-params";

/**
 * The Vulnerabilities list's URL contract: filters and the opaque keyset cursor on
 * (severity rank, name). Pure (no I/O): the page and the detail links share it.
 */

export const FIX_FILTERS = ["yes", "no"] as const;

export interface VulnerabilityListFilter {
  severity?: (typeof SEVERITY_ORDER)[number];
  fix?: (typeof FIX_FILTERS)[number];
  /** Case-insensitive substring of the package name. */
  packageName?: string;
  accountId?: string;
}

export interface VulnerabilityListCursor {
  rank: number;
  name: string;
}

export interface VulnerabilityListParams {
  filter: VulnerabilityListFilter;
  after?: VulnerabilityListCursor;
  before?: VulnerabilityListCursor;
  /** URL parameters that were present but not valid, named for the user. */
  ignored: string[];
}



/** Vulnerability ids as scanners name them (CVE-2024-1234, GHSA-xxxx-..., ALAS-2024-...): printable, no control characters. */
export function isVulnerabilityName(value: string): boolean {
  return value.length >= 1 && value.length <= 512 && !/[\u0000-\u001f\u007f]/.test(value);
}

export function encodeVulnerabilityCursor(cursor: VulnerabilityListCursor): string {
  return Buffer.from(JSON.stringify([cursor.rank, cursor.name]), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor (junk, or a tampered value). */
export function decodeVulnerabilityCursor(value: string | undefined): VulnerabilityListCursor | null {
  if (!value || value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [rank, name] = parsed as unknown[];
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 0 || rank > SEVERITY_ORDER.length) return null;
  if (typeof name !== "string" || !isVulnerabilityName(name)) return null;
  return { rank, name };
}

export function parseVulnerabilityListParams(params: SearchParams): VulnerabilityListParams {
  const { pick, cursor, ignored } = paramReader(params);
  const filter: VulnerabilityListFilter = {};
  const severity = pick("severity", (v) => (SEVERITY_ORDER as readonly string[]).find((s) => s === v.toUpperCase()) as VulnerabilityListFilter["severity"]);
  if (severity) filter.severity = severity;
  const fix = pick("fix", (v) => (FIX_FILTERS as readonly string[]).find((s) => s === v.toLowerCase()) as VulnerabilityListFilter["fix"]);
  if (fix) filter.fix = fix;
  const packageName = pick("package", (v) => (v.length <= 128 ? v : undefined));
  if (packageName) filter.packageName = packageName;
  const accountId = pick("account", (v) => (/^\d{12}$/.test(v) ? v : undefined));
  if (accountId) filter.accountId = accountId;

  return { filter, ignored, ...cursor(decodeVulnerabilityCursor) };
}

/** The list's URL for a filter, optionally at a page. */
export function vulnerabilityListHref(filter: VulnerabilityListFilter, page: { after?: VulnerabilityListCursor | null; before?: VulnerabilityListCursor | null } = {}): string {
  const query = new URLSearchParams();
  if (filter.severity) query.set("severity", filter.severity);
  if (filter.fix) query.set("fix", filter.fix);
  if (filter.packageName) query.set("package", filter.packageName);
  if (filter.accountId) query.set("account", filter.accountId);
  if (page.after) query.set("after", encodeVulnerabilityCursor(page.after));
  else if (page.before) query.set("before", encodeVulnerabilityCursor(page.before));
  const text = query.toString();
  return text ? `/vulnerabilities?${text}` : "/vulnerabilities";
}

/** The detail page of one vulnerability; its name may hold "/", so each segment is encoded. */
export function vulnerabilityHref(name: string): string {
  return `/vulnerabilities/${name.split("/").map(encodeURIComponent).join("/")}`;
}

/** The detail page's path param, validated; null means "no such page". */
export function parseVulnerabilityPath(segments: string[]): string | null {
  if (segments.length === 0) return null;
  let joined: string;
  try {
    joined = segments.map((segment) => decodeURIComponent(segment)).join("/");
  } catch {
    return null;
  }
  return isVulnerabilityName(joined) ? joined : null;
}
