import "server-only";
import { allocateStorageCost, COST_WINDOW_DAYS, MICROS_PER_USD, type RegionStorageCost, storageCostByRegion, type UsageCostRow } from "@/lib/cost/allocation";
import type { StoragePrices } from "@/lib/cost/pricing";
import { isAwsRegion } from "@/lib/regions";
import { toComplianceSettings } from "@/lib/settings";
import { getPool } from "./pool";
import { getSettings } from "./settings";
import { inSnapshotSql } from "./snapshot";
import { paramReader, queryString, type SearchParams } from "@/lib/url-params";

/**
 * What each repository of a snapshot costs: its stored bytes at list price, and its share of its
 * account-region's actual storage cost (Cost Explorer, the newest COST_WINDOW_DAYS days with
 * data) allocated by stored bytes (lib/cost/allocation.ts). The list is one SQL statement that
 * shares each region's cost out with the same largest-remainder rule as allocateMicros, so the
 * ranked, keyset-paginated page never loads the snapshot into memory; the single-repository read
 * runs the pure function over the repository's own account-region.
 */

// --- The URL contract (page, CSV route and tests share it). ---

export const REPOSITORY_COST_SORTS = ["allocated", "estimated", "size", "images"] as const;
export type RepositoryCostSort = (typeof REPOSITORY_COST_SORTS)[number];
export type SortDirection = "asc" | "desc";

export interface RepositoryCostFilter {
  accountId?: string;
  region?: string;
  /** Repository names starting with this (ECR names are lower-case). */
  namePrefix?: string;
  /** USD a month: the allocated actual cost, or the list price where no actual cost is known, at least this. */
  minUsd?: number;
}

export interface RepositoryCostCursor {
  key: string;
  arn: string;
}

export interface RepositoryCostParams {
  filter: RepositoryCostFilter;
  sort: RepositoryCostSort;
  direction: SortDirection;
  after?: RepositoryCostCursor;
  before?: RepositoryCostCursor;
  /** Parameters present but not valid, by name (the page says so; the CSV route answers 400). */
  ignored: string[];
}



// A sort key as PostgreSQL prints it: every key is an integer (micro-dollars, bytes, a count).
const INTEGER_KEY = /^-?\d{1,19}$/;

export function encodeRepositoryCostCursor(sort: RepositoryCostSort, direction: SortDirection, cursor: RepositoryCostCursor): string {
  return Buffer.from(JSON.stringify([sort, direction, cursor.key, cursor.arn]), "utf8").toString("base64url");
}

/** Null for anything that is not a cursor of this ordering (a link from before a sort change, or junk). */
export function decodeRepositoryCostCursor(value: string, sort: RepositoryCostSort, direction: SortDirection): RepositoryCostCursor | null {
  if (value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== sort || parsed[1] !== direction) return null;
  const [, , key, arn] = parsed as unknown[];
  if (typeof key !== "string" || typeof arn !== "string" || !INTEGER_KEY.test(key) || !arn.startsWith("arn:") || arn.length > 1024) return null;
  return { key, arn };
}

export function parseRepositoryCostParams(params: SearchParams): RepositoryCostParams {
  const { pick, cursor, ignored } = paramReader(params);
  const filter: RepositoryCostFilter = {
    accountId: pick("account", (v) => (/^\d{12}$/.test(v) ? v : undefined)),
    region: pick("region", (v) => (isAwsRegion(v) ? v : undefined)),
    namePrefix: pick("name", (v) => (v.length <= 256 ? v.toLowerCase() : undefined)),
    minUsd: pick("min", (v) => (/^\d{1,9}(\.\d{1,6})?$/.test(v) ? Number(v) : undefined)),
  };
  for (const key of Object.keys(filter) as (keyof RepositoryCostFilter)[]) if (filter[key] === undefined) delete filter[key];
  const sort = pick("sort", (v) => ((REPOSITORY_COST_SORTS as readonly string[]).includes(v) ? (v as RepositoryCostSort) : undefined)) ?? "allocated";
  // Every ordering is a quantity: biggest first unless asked otherwise.
  const direction = pick("dir", (v) => (v === "asc" || v === "desc" ? v : undefined)) ?? "desc";
  return { filter, sort, direction, ignored, ...cursor((v) => decodeRepositoryCostCursor(v, sort, direction)) };
}

/** The query string of a filter and ordering, optionally at a page: "?account=…&sort=size". */
export function repositoryCostQuery({ filter, sort, direction }: Pick<RepositoryCostParams, "filter" | "sort" | "direction">, page: { after?: string; before?: string } = {}): string {
  const values = {
    account: filter.accountId,
    region: filter.region,
    name: filter.namePrefix,
    min: filter.minUsd === undefined ? undefined : String(filter.minUsd),
    sort: sort !== "allocated" ? sort : undefined,
    dir: direction !== "desc" ? direction : undefined,
  };
  return queryString(values, page);
}

// --- Cost Explorer: the window and each account-region's storage cost in it. ---

export interface CostWindow {
  /** YYYY-MM-DD, inclusive: the newest COST_WINDOW_DAYS days up to the newest day with data. */
  from: string;
  to: string;
  days: number;
}

export interface StorageCosts {
  /** Null when Cost Explorer data has not been collected. */
  window: CostWindow | null;
  costs: RegionStorageCost[];
  /** Storage usage types whose billing code names no region we know (their cost is not allocated). */
  unknownUsageTypes: string[];
}

/** Storage cost per account-region over the window (USD, unblended), optionally for one account. */
export async function getStorageCosts(accountId?: string): Promise<StorageCosts> {
  const pool = getPool();
  const { rows: bounds } = await pool.query<{ from: string | null; to: string | null }>(
    `SELECT to_char(max("date") - ($1::int - 1), 'YYYY-MM-DD') AS "from", to_char(max("date"), 'YYYY-MM-DD') AS "to" FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT'`,
    [COST_WINDOW_DAYS],
  );
  const { from, to } = bounds[0] ?? { from: null, to: null };
  if (!from || !to) return { window: null, costs: [], unknownUsageTypes: [] };
  // Summed per usage type in SQL (a few hundred rows); lib/cost maps usage types to regions.
  const { rows } = await pool.query<UsageCostRow>(
    `SELECT c."key" AS "accountId", c."usageType", sum(c."amount")::text AS "amount", bool_or(c."estimated") AS "estimated"
       FROM "CostDaily" c
      WHERE c."dimension" = 'LINKED_ACCOUNT' AND c."date" BETWEEN $1::date AND $2::date AND c."usageType" LIKE '%TimedStorage%'
        AND ($3::text IS NULL OR c."key" = $3)
      GROUP BY c."key", c."usageType"`,
    [from, to, accountId ?? null],
  );
  return { window: { from, to, days: COST_WINDOW_DAYS }, ...storageCostByRegion(rows) };
}

export async function getStoragePrices(): Promise<StoragePrices> {
  const { storagePricePerGbMonth, regionStoragePrices, archivePricePerGbMonth } = toComplianceSettings(await getSettings());
  return { storagePricePerGbMonth, regionStoragePrices, archivePricePerGbMonth };
}

// --- The ranked list. ---

export interface RepositoryCostRow {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageCount: number;
  storedBytes: number;
  /** False: some image's layers were not read, so storedBytes is an upper bound. */
  storedBytesExact: boolean;
  /** DescribeImages failed for the repository: its bytes (and so its share) are unknown. */
  imagesUnread: boolean;
  /** USD a month at list price (stored bytes x the region's price). */
  listUsd: number;
  /** USD over the cost window: its share of the account-region's storage cost; null when there is none to share. */
  allocatedUsd: number | null;
  /** The account-region's storage cost over the window; null when Cost Explorer has none for it. */
  regionCostUsd: number | null;
  regionStoredBytes: number;
}

export interface RepositoryCostTotals {
  repositories: number;
  images: number;
  storedBytes: number;
  /** False when any repository's stored bytes are an upper bound. */
  storedBytesExact: boolean;
  listUsd: number;
  allocatedUsd: number;
  /** Repositories with an allocated cost (the others have no Cost Explorer storage cost to share). */
  allocatedRepositories: number;
}

export interface RepositoryCostPage {
  rows: RepositoryCostRow[];
  next: string | null;
  previous: string | null;
}

const MIN_INT8 = "-9223372036854775807";

// Each ordering as an SQL expression over "costed" (x): an integer, printed as the cursor's key.
const SORT_KEYS: Record<RepositoryCostSort, string> = {
  // No cost to share sorts below any cost, credits included.
  allocated: `COALESCE(x."allocatedMicros", ${MIN_INT8})`,
  estimated: `x."listMicros"`,
  size: `x."storedBytes"`,
  images: `x."imageCount"::int8`,
};

interface Query {
  text: string;
  values: unknown[];
}

/**
 * The snapshot's repositories with their list price and allocated cost, as a CTE named "costed".
 * Each account-region's cost is shared over all of its repositories before any name or amount
 * filter applies (the account and region filters take whole regions, so they may apply first).
 */
function costedCte(runId: number, storage: StorageCosts, prices: StoragePrices, filter: RepositoryCostFilter): Query {
  if (!Number.isSafeInteger(runId)) throw new Error(`run id ${runId} is not an integer`);
  const values: unknown[] = [
    storage.costs.map((c) => c.accountId),
    storage.costs.map((c) => c.region),
    storage.costs.map((c) => c.micros.toString()),
    Object.keys(prices.regionStoragePrices),
    Object.values(prices.regionStoragePrices),
    prices.storagePricePerGbMonth,
    runId,
  ];
  const scope: string[] = [];
  if (filter.accountId) scope.push(`r."accountId" = $${values.push(filter.accountId)}`);
  if (filter.region) scope.push(`r."region" = $${values.push(filter.region)}`);
  const text = `
    WITH cost AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::int8[]) AS c("accountId", "region", "micros")
    ), price AS (
      SELECT * FROM unnest($4::text[], $5::float8[]) AS p("region", "price")
    ), repo AS (
      SELECT r."arn", r."accountId", r."region", r."name", r."imageCount",
             COALESCE(r."storedBytes", r."imageBytes")::numeric AS "stored",
             COALESCE(r."storedBytesExact", false) AS "exact",
             COALESCE(jsonb_typeof(r."readErrors" -> 'DescribeImages') = 'object', false) AS "imagesUnread"
        FROM "Repository" r
       WHERE ${inSnapshotSql("r", "$7")} AND r."deletedAt" IS NULL${scope.map((s) => ` AND ${s}`).join("")}
    ), shared AS (
      SELECT repo.*, c."micros", sum(repo."stored") OVER (PARTITION BY repo."accountId", repo."region") AS "regionBytes"
        FROM repo LEFT JOIN cost c ON c."accountId" = repo."accountId" AND c."region" = repo."region"
    ), split AS (
      -- allocateMicros in SQL: the floor of each exact share, and its remainder as an integer.
      SELECT s.*,
             CASE WHEN s."micros" IS NOT NULL AND s."regionBytes" > 0 THEN div(abs(s."micros") * s."stored", s."regionBytes") END AS "floor",
             CASE WHEN s."micros" IS NOT NULL AND s."regionBytes" > 0 THEN mod(abs(s."micros") * s."stored", s."regionBytes") END AS "remainder"
        FROM shared s
    ), ranked AS (
      SELECT t.*,
             row_number() OVER (PARTITION BY t."accountId", t."region" ORDER BY t."remainder" DESC, t."arn" COLLATE "C") AS "rank",
             abs(t."micros") - sum(t."floor") OVER (PARTITION BY t."accountId", t."region") AS "leftover"
        FROM split t
    ), costed AS (
      SELECT k."arn", k."accountId", k."region", k."name", k."imageCount", k."stored"::int8 AS "storedBytes", k."exact", k."imagesUnread",
             k."micros" AS "regionMicros", k."regionBytes"::int8 AS "regionBytes",
             (sign(k."micros"::numeric) * (k."floor" + CASE WHEN k."rank" <= k."leftover" THEN 1 ELSE 0 END))::int8 AS "allocatedMicros",
             round(k."stored" * COALESCE(p."price", $6::float8)::numeric * ${MICROS_PER_USD} / 1073741824)::int8 AS "listMicros"
        FROM ranked k LEFT JOIN price p ON p."region" = k."region"
    )`;
  return { text, values };
}

function rowFilters(filter: RepositoryCostFilter, values: unknown[]): string[] {
  const conditions: string[] = [];
  if (filter.namePrefix) conditions.push(`x."name" LIKE $${values.push(`${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (filter.minUsd !== undefined) conditions.push(`COALESCE(x."allocatedMicros", x."listMicros") >= $${values.push(Math.round(filter.minUsd * MICROS_PER_USD))}::int8`);
  return conditions;
}

interface CostedSql {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageCount: number;
  storedBytes: string;
  exact: boolean;
  imagesUnread: boolean;
  regionMicros: string | null;
  regionBytes: string;
  allocatedMicros: string | null;
  listMicros: string;
  sortKey: string;
}

const usd = (micros: string | bigint) => Number(micros) / MICROS_PER_USD;

function toRow(row: CostedSql): RepositoryCostRow {
  return {
    arn: row.arn,
    accountId: row.accountId,
    region: row.region,
    name: row.name,
    imageCount: Number(row.imageCount),
    storedBytes: Number(row.storedBytes),
    storedBytesExact: row.exact,
    imagesUnread: row.imagesUnread,
    listUsd: usd(row.listMicros),
    allocatedUsd: row.allocatedMicros === null ? null : usd(row.allocatedMicros),
    regionCostUsd: row.regionMicros === null ? null : usd(row.regionMicros),
    regionStoredBytes: Number(row.regionBytes),
  };
}

export interface ListRepositoryCostsInput {
  runId: number;
  filter?: RepositoryCostFilter;
  sort?: RepositoryCostSort;
  direction?: SortDirection;
  after?: RepositoryCostCursor;
  before?: RepositoryCostCursor;
  limit?: number;
  /** Read once by the caller when it makes several calls (the page's list and totals). */
  storage?: StorageCosts;
  prices?: StoragePrices;
}

/** One page of the ranked list, ordered by `sort` then ARN; `after`/`before` walk from a cursor. */
export async function listRepositoryCosts(input: ListRepositoryCostsInput): Promise<RepositoryCostPage> {
  const { runId, filter = {}, sort = "allocated", direction = "desc", after, before, limit = 50 } = input;
  const [storage, prices] = await Promise.all([input.storage ?? getStorageCosts(filter.accountId), input.prices ?? getStoragePrices()]);
  const take = Math.min(Math.max(Math.trunc(limit), 1), 1000);
  const backwards = before !== undefined && after === undefined;
  const ascending = (direction === "asc") !== backwards;
  const order = ascending ? "ASC" : "DESC";
  const key = SORT_KEYS[sort];
  const { text, values } = costedCte(runId, storage, prices, filter);
  const conditions = rowFilters(filter, values);
  const cursor = backwards ? before : after;
  if (cursor) conditions.push(`(${key}, x."arn" COLLATE "C") ${ascending ? ">" : "<"} ($${values.push(cursor.key)}::int8, $${values.push(cursor.arn)}::text COLLATE "C")`);
  const { rows } = await getPool().query<CostedSql>(
    `${text}
     SELECT x."arn", x."accountId", x."region", x."name", x."imageCount", x."exact", x."imagesUnread", x."storedBytes"::text AS "storedBytes",
            x."regionMicros"::text AS "regionMicros", x."regionBytes"::text AS "regionBytes", x."allocatedMicros"::text AS "allocatedMicros",
            x."listMicros"::text AS "listMicros", (${key})::text AS "sortKey"
       FROM costed x
      ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}
      ORDER BY ${key} ${order}, x."arn" COLLATE "C" ${order}
      LIMIT ${take + 1}`,
    values,
  );
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (backwards) page.reverse();
  const cursorOf = (row: CostedSql) => encodeRepositoryCostCursor(sort, direction, { key: row.sortKey, arn: row.arn });
  const firstRow = page[0];
  const lastRow = page[page.length - 1];
  return {
    rows: page.map(toRow),
    next: lastRow && (backwards || more) ? cursorOf(lastRow) : null,
    previous: firstRow && (backwards ? more : cursor !== undefined) ? cursorOf(firstRow) : null,
  };
}

/** The list's total row: every repository matching the filter (not only the page). */
export async function getRepositoryCostTotals(input: Pick<ListRepositoryCostsInput, "runId" | "filter" | "storage" | "prices">): Promise<RepositoryCostTotals> {
  const filter = input.filter ?? {};
  const [storage, prices] = await Promise.all([input.storage ?? getStorageCosts(filter.accountId), input.prices ?? getStoragePrices()]);
  const { text, values } = costedCte(input.runId, storage, prices, filter);
  const conditions = rowFilters(filter, values);
  const { rows } = await getPool().query<{ repositories: number; images: string; stored: string; exact: boolean | null; list: string; allocated: string; allocatedRepositories: number }>(
    `${text}
     SELECT count(*)::int AS "repositories", COALESCE(sum(x."imageCount"), 0)::text AS "images", COALESCE(sum(x."storedBytes"), 0)::text AS "stored",
            bool_and(x."exact") AS "exact", COALESCE(sum(x."listMicros"), 0)::text AS "list", COALESCE(sum(x."allocatedMicros"), 0)::text AS "allocated",
            count(x."allocatedMicros")::int AS "allocatedRepositories"
       FROM costed x ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""}`,
    values,
  );
  const row = rows[0];
  return {
    repositories: row.repositories,
    images: Number(row.images),
    storedBytes: Number(row.stored),
    storedBytesExact: row.exact ?? true,
    listUsd: usd(row.list),
    allocatedUsd: usd(row.allocated),
    allocatedRepositories: row.allocatedRepositories,
  };
}

export interface UnallocatedCost {
  accountId: string;
  region: string;
  usd: number;
  estimated: boolean;
}

/** Account-regions (in the filter's scope) whose storage cost has no stored bytes in the snapshot to be shared by. */
export async function listUnallocatedCosts({ runId, filter = {}, storage }: { runId: number; filter?: RepositoryCostFilter; storage?: StorageCosts }): Promise<UnallocatedCost[]> {
  const costs = (storage ?? (await getStorageCosts(filter.accountId))).costs.filter((c) => c.micros !== 0n && (!filter.accountId || c.accountId === filter.accountId) && (!filter.region || c.region === filter.region));
  if (costs.length === 0) return [];
  const { rows } = await getPool().query<{ accountId: string; region: string }>(
    `SELECT r."accountId", r."region" FROM "Repository" r
      WHERE ${inSnapshotSql("r", "$1")} AND r."deletedAt" IS NULL AND COALESCE(r."storedBytes", r."imageBytes") > 0
        AND (r."accountId", r."region") IN (SELECT * FROM unnest($2::text[], $3::text[]))
      GROUP BY r."accountId", r."region"`,
    [runId, costs.map((c) => c.accountId), costs.map((c) => c.region)],
  );
  const stored = new Set(rows.map((r) => `${r.accountId}/${r.region}`));
  return costs.filter((c) => !stored.has(`${c.accountId}/${c.region}`)).map((c) => ({ accountId: c.accountId, region: c.region, usd: usd(c.micros), estimated: c.estimated }));
}

// --- One repository (its page's cost section). ---

export interface RepositoryCost {
  storedBytes: number;
  storedBytesExact: boolean;
  imagesUnread: boolean;
  listUsd: number;
  allocatedUsd: number | null;
  regionCostUsd: number | null;
  regionCostEstimated: boolean;
  regionStoredBytes: number;
  regionRepositories: number;
  window: CostWindow | null;
  unknownUsageTypes: string[];
}

/**
 * The repository's costs in run `runId`'s snapshot: its account-region's repositories are read (one
 * indexed read of a few columns) and the region's cost is shared with allocateStorageCost. Null
 * when the repository is not in the snapshot.
 */
export async function getRepositoryCost({ runId, arn, accountId, region }: { runId: number; arn: string; accountId: string; region: string }): Promise<RepositoryCost | null> {
  const [storage, prices, { rows }] = await Promise.all([
    getStorageCosts(accountId),
    getStoragePrices(),
    getPool().query<{ arn: string; stored: string; exact: boolean; imagesUnread: boolean }>(
      `SELECT r."arn", COALESCE(r."storedBytes", r."imageBytes")::text AS "stored", COALESCE(r."storedBytesExact", false) AS "exact",
              COALESCE(jsonb_typeof(r."readErrors" -> 'DescribeImages') = 'object', false) AS "imagesUnread"
         FROM "Repository" r
        WHERE r."accountId" = $2 AND r."region" = $3 AND r."deletedAt" IS NULL AND ${inSnapshotSql("r", "$1")}`,
      [runId, accountId, region],
    ),
  ]);
  const self = rows.find((r) => r.arn === arn);
  if (!self) return null;
  const cost = storage.costs.find((c) => c.accountId === accountId && c.region === region) ?? null;
  const allocation = allocateStorageCost(
    rows.map((r) => ({ arn: r.arn, accountId, region, storedBytes: Number(r.stored), storedBytesExact: r.exact })),
    cost ? [cost] : [],
    prices,
  );
  const mine = allocation.repositories.find((r) => r.arn === arn)!;
  return {
    storedBytes: mine.storedBytes,
    storedBytesExact: self.exact,
    imagesUnread: self.imagesUnread,
    listUsd: usd(mine.listMicros),
    allocatedUsd: mine.allocatedMicros === null ? null : usd(mine.allocatedMicros),
    regionCostUsd: cost ? usd(cost.micros) : null,
    regionCostEstimated: cost?.estimated ?? false,
    regionStoredBytes: mine.regionStoredBytes,
    regionRepositories: rows.length,
    window: storage.window,
    unknownUsageTypes: storage.unknownUsageTypes,
  };
}
