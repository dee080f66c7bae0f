import { isAwsRegion } from "@/lib/regions";
import { paramReader, queryString, type SearchParams } from "@/lib/url-params";

/**
 * The Repositories list's URL contract: filters, sort and the opaque keyset cursor. Pure (no
 * I/O) so the page, the query and the tests share one parser.
 */

export const REPOSITORY_SORTS = ["name", "account", "images", "size", "pushed"] as const;
export type RepositorySort = (typeof REPOSITORY_SORTS)[number];
export type SortDirection = "asc" | "desc";

/** Names and accounts read A to Z; counts, sizes and dates biggest / newest first. */
export const DEFAULT_DIRECTION: Record<RepositorySort, SortDirection> = {
  name: "asc",
  account: "asc",
  images: "desc",
  size: "desc",
  pushed: "desc",
};

export const ENCRYPTION_TYPES = ["AES256", "KMS", "KMS_DSSE"] as const;
/** "unknown": BatchGetRepositoryScanningConfiguration was not read for the repository. */
export const SCAN_FREQUENCY_FILTERS = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL", "unknown"] as const;
export const TAG_MUTABILITIES = ["MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"] as const;
/** "no" means read and absent; "unknown" means GetLifecyclePolicy failed, so neither yes nor no. */
export const LIFECYCLE_FILTERS = ["yes", "no", "unknown"] as const;

export interface RepositoryFilter {
  accountId?: string;
  region?: string;
  /** Case-insensitive substring of the repository name. */
  name?: string;
  encryption?: (typeof ENCRYPTION_TYPES)[number];
  scanFrequency?: (typeof SCAN_FREQUENCY_FILTERS)[number];
  tagMutability?: (typeof TAG_MUTABILITIES)[number];
  lifecycle?: (typeof LIFECYCLE_FILTERS)[number];
}

/** A position in one ordering: the row's sort key as PostgreSQL prints it, and its ARN. */
export interface RepositoryCursor {
  key: string;
  arn: string;
}

export interface RepositoryListParams {
  filter: RepositoryFilter;
  sort: RepositorySort;
  direction: SortDirection;
  /** Rows after this position (the next page) or before it (the previous page). */
  after?: RepositoryCursor;
  before?: RepositoryCursor;
  /** URL parameters that were present but not valid, named for the user. */
  ignored: string[];
}



const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;

// What each sort key looks like as text, so a tampered cursor is dropped rather than failing a cast.
const KEY_PATTERN: Record<RepositorySort, RegExp> = {
  name: /^[\s\S]{1,256}$/,
  account: /^\d{12}$/,
  images: /^\d{1,10}$/,
  size: /^\d{1,19}$/,
  pushed: /^(-infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?)$/,
};

export function encodeRepositoryCursor(sort: RepositorySort, direction: SortDirection, cursor: RepositoryCursor): string {
  return Buffer.from(JSON.stringify([sort, direction, cursor.key, cursor.arn]), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor of this ordering (a stale link after a sort change, or junk). */
export function decodeRepositoryCursor(value: string | undefined, sort: RepositorySort, direction: SortDirection): RepositoryCursor | null {
  if (!value || value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== sort || parsed[1] !== direction) return null;
  const [, , key, arn] = parsed as unknown[];
  if (typeof key !== "string" || typeof arn !== "string" || !KEY_PATTERN[sort].test(key)) return null;
  if (!arn.startsWith("arn:") || arn.length > 1024) return null;
  return { key, arn };
}

export function parseRepositoryListParams(params: SearchParams): RepositoryListParams {
  const { pick, cursor, ignored } = paramReader(params);
  const filter: RepositoryFilter = {};

  filter.accountId = pick("account", (v) => (/^\d{12}$/.test(v) ? v : undefined));
  filter.region = pick("region", (v) => (isAwsRegion(v) ? v : undefined));
  filter.name = pick("name", (v) => (v.length <= 256 ? v : undefined));
  filter.encryption = pick("encryption", (v) => oneOf(ENCRYPTION_TYPES, v));
  filter.scanFrequency = pick("scan", (v) => oneOf(SCAN_FREQUENCY_FILTERS, v));
  filter.tagMutability = pick("mutability", (v) => oneOf(TAG_MUTABILITIES, v));
  filter.lifecycle = pick("lifecycle", (v) => oneOf(LIFECYCLE_FILTERS, v));
  for (const key of Object.keys(filter) as (keyof RepositoryFilter)[]) if (filter[key] === undefined) delete filter[key];

  const sort = pick("sort", (v) => oneOf(REPOSITORY_SORTS, v)) ?? "name";
  const direction = pick("dir", (v) => oneOf(["asc", "desc"] as const, v)) ?? DEFAULT_DIRECTION[sort];

  return { filter, sort, direction, ignored, ...cursor((v) => decodeRepositoryCursor(v, sort, direction)) };
}

/** The list's URL for a filter and ordering, optionally at a page (a cursor from the query). */
export function repositoryListHref(
  { filter, sort, direction }: Pick<RepositoryListParams, "filter" | "sort" | "direction">,
  page: { after?: string; before?: string } = {},
): string {
  const values = {
    account: filter.accountId,
    region: filter.region,
    name: filter.name,
    encryption: filter.encryption,
    scan: filter.scanFrequency,
    mutability: filter.tagMutability,
    lifecycle: filter.lifecycle,
    sort: sort !== "name" ? sort : undefined,
    dir: direction !== DEFAULT_DIRECTION[sort] ? direction : undefined,
  };
  return `/repositories${queryString(values, page)}`;
}

/** ECR repository names: lowercase segments joined by "/", 2-256 characters. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** The detail page's path params, validated; null means "no such page". */
export function parseRepositoryPath(account: string, region: string, name: string[]): { accountId: string; region: string; name: string } | null {
  if (!/^\d{12}$/.test(account) || !isAwsRegion(region) || name.length === 0) return null;
  let joined: string;
  try {
    joined = name.map((segment) => decodeURIComponent(segment)).join("/");
  } catch {
    return null;
  }
  if (joined.length < 2 || joined.length > 256 || !REPOSITORY_NAME.test(joined)) return null;
  return { accountId: account, region, name: joined };
}

export function repositoryHref({ accountId, region, name }: { accountId: string; region: string; name: string }): string {
  return `/repositories/${accountId}/${region}/${name.split("/").map(encodeURIComponent).join("/")}`;
}
