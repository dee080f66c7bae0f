import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "./client";
import {
  encodeRepositoryCursor,
  type RepositoryCursor,
  type RepositoryFilter,
  type RepositorySort,
  type SortDirection,
} from "./repository-list-params";
import type { FindingRecord } from "@/lib/aws/types";
import { SEVERITY_ORDER } from "@/lib/severity";
import { inSnapshot, inSnapshotSql } from "./snapshot";

/**
 * Reads of the repository inventory as of one run's snapshot (snapshot.ts). The list is one
 * keyset-paginated query with LIMIT: it never loads the whole snapshot, which can hold tens of
 * thousands of repositories.
 */

/** An AWS call that left a field unknown, as the collector recorded it (lib/aws/types.ts AwsFailure). */
export interface ReadError {
  errorName: string;
  message: string;
  operation?: string;
  kind?: string;
}

export type LifecycleState = "present" | "none" | "unknown";

export interface RepositoryListRow {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageTagMutability: string;
  scanOnPush: boolean;
  scanFrequency: string | null;
  encryptionType: string;
  lifecycle: LifecycleState;
  imageCount: number;
  /** Sum of the images' compressed sizes. */
  imageBytes: number;
  latestPushedAt: Date | null;
}

export interface RepositoryListPage {
  rows: RepositoryListRow[];
  /** Opaque cursors for the neighbouring pages (the `after` / `before` URL parameters). */
  next: string | null;
  previous: string | null;
}

// Each sort key as an SQL expression and the type its text form casts back to. A repository
// without images sorts as the oldest push.
const SORT_KEYS: Record<RepositorySort, { expression: string; type: string }> = {
  name: { expression: `r."name"`, type: "text" },
  account: { expression: `r."accountId"`, type: "text" },
  images: { expression: `r."imageCount"`, type: "int4" },
  size: { expression: `r."imageBytes"`, type: "int8" },
  pushed: { expression: `COALESCE(r."latestPushedAt", '-infinity'::timestamp(3))`, type: "timestamp(3)" },
};

// True or false, never NULL (a missing key would make NOT (...) unknown).
const LIFECYCLE_UNREAD = Prisma.sql`COALESCE(jsonb_typeof(r."readErrors" -> 'GetLifecyclePolicy') = 'object', false)`;

function snapshot(alias: string, runId: number): Prisma.Sql {
  // runId is an integer read from CollectionRun, never user input: inlined so the shared rule is reused.
  if (!Number.isSafeInteger(runId)) throw new Error(`run id ${runId} is not an integer`);
  return Prisma.raw(inSnapshotSql(alias, String(runId)));
}

/** LIKE's wildcards in user text match themselves. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterConditions(runId: number, filter: RepositoryFilter): Prisma.Sql[] {
  const conditions = [snapshot("r", runId), Prisma.sql`r."deletedAt" IS NULL`];
  if (filter.accountId) conditions.push(Prisma.sql`r."accountId" = ${filter.accountId}`);
  if (filter.region) conditions.push(Prisma.sql`r."region" = ${filter.region}`);
  if (filter.name) conditions.push(Prisma.sql`r."name" ILIKE ${`%${escapeLike(filter.name)}%`}`);
  if (filter.encryption) conditions.push(Prisma.sql`r."encryptionType" = ${filter.encryption}`);
  if (filter.scanFrequency === "unknown") conditions.push(Prisma.sql`r."scanFrequency" IS NULL`);
  else if (filter.scanFrequency) conditions.push(Prisma.sql`r."scanFrequency" = ${filter.scanFrequency}`);
  if (filter.tagMutability) conditions.push(Prisma.sql`r."imageTagMutability" = ${filter.tagMutability}`);
  if (filter.lifecycle === "yes") conditions.push(Prisma.sql`r."lifecyclePolicy" IS NOT NULL`);
  else if (filter.lifecycle === "no") conditions.push(Prisma.sql`r."lifecyclePolicy" IS NULL AND NOT (${LIFECYCLE_UNREAD})`);
  else if (filter.lifecycle === "unknown") conditions.push(Prisma.sql`r."lifecyclePolicy" IS NULL AND ${LIFECYCLE_UNREAD}`);
  return conditions;
}

interface ListRowSql {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageTagMutability: string;
  scanOnPush: boolean;
  scanFrequency: string | null;
  encryptionType: string;
  hasLifecyclePolicy: boolean;
  lifecycleUnread: boolean;
  imageCount: number;
  imageBytes: bigint | number | string;
  latestPushedAt: Date | null;
  sortKey: string;
}

/**
 * One page of the snapshot's repositories (deleted ones excluded), ordered by `sort` then ARN.
 * `after` gives the page following a cursor, `before` the page preceding it.
 */
export async function listRepositories({
  runId,
  filter = {},
  sort = "name",
  direction = "asc",
  after,
  before,
  limit = 50,
}: {
  runId: number;
  filter?: RepositoryFilter;
  sort?: RepositorySort;
  direction?: SortDirection;
  after?: RepositoryCursor;
  before?: RepositoryCursor;
  limit?: number;
}): Promise<RepositoryListPage> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const key = SORT_KEYS[sort];
  const keyExpression = Prisma.raw(key.expression);
  // Walking backwards (a previous page) reads the reverse order, then flips the rows.
  const backwards = before !== undefined && after === undefined;
  const ascending = (direction === "asc") !== backwards;
  const order = Prisma.raw(ascending ? "ASC" : "DESC");
  const conditions = filterConditions(runId, filter);
  const cursor = backwards ? before : after;
  if (cursor) {
    const comparison = Prisma.raw(ascending ? ">" : "<");
    const type = Prisma.raw(key.type);
    conditions.push(Prisma.sql`(${keyExpression}, r."arn") ${comparison} (${cursor.key}::${type}, ${cursor.arn}::text)`);
  }
  const rows = await getDb().$queryRaw<ListRowSql[]>`
    SELECT r."arn", r."accountId", r."region", r."name", r."imageTagMutability", r."scanOnPush", r."scanFrequency",
           r."encryptionType", (r."lifecyclePolicy" IS NOT NULL) AS "hasLifecyclePolicy", (${LIFECYCLE_UNREAD}) AS "lifecycleUnread",
           r."imageCount", r."imageBytes", r."latestPushedAt", (${keyExpression})::text AS "sortKey"
    FROM "Repository" r
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${keyExpression} ${order}, r."arn" ${order}
    LIMIT ${take + 1}`;

  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (backwards) page.reverse();
  const cursorOf = (row: ListRowSql) => encodeRepositoryCursor(sort, direction, { key: row.sortKey, arn: row.arn });
  const firstRow = page[0];
  const lastRow = page[page.length - 1];
  return {
    rows: page.map(toListRow),
    // Coming from a cursor means there is a page on the side we came from.
    next: lastRow && (backwards || more) ? cursorOf(lastRow) : null,
    previous: firstRow && (backwards ? more : cursor !== undefined) ? cursorOf(firstRow) : null,
  };
}

function toListRow(row: ListRowSql): RepositoryListRow {
  return {
    arn: row.arn,
    accountId: row.accountId,
    region: row.region,
    name: row.name,
    imageTagMutability: row.imageTagMutability,
    scanOnPush: row.scanOnPush,
    scanFrequency: row.scanFrequency,
    encryptionType: row.encryptionType,
    lifecycle: row.hasLifecyclePolicy ? "present" : row.lifecycleUnread ? "unknown" : "none",
    imageCount: Number(row.imageCount),
    imageBytes: Number(row.imageBytes),
    latestPushedAt: row.latestPushedAt === null ? null : new Date(row.latestPushedAt),
  };
}

/** How many repositories of the snapshot match the filter (the list's total). */
export async function countRepositories({ runId, filter = {} }: { runId: number; filter?: RepositoryFilter }): Promise<number> {
  const [row] = await getDb().$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "Repository" r WHERE ${Prisma.join(filterConditions(runId, filter), " AND ")}`;
  return Number(row.count);
}

/** The account x region pairs the snapshot's registries cover, for the list's filter options. */
export async function listSnapshotScopes(runId: number): Promise<{ accountId: string; region: string }[]> {
  return getDb().registry.findMany({
    where: inSnapshot(runId),
    orderBy: [{ accountId: "asc" }, { region: "asc" }],
    select: { accountId: true, region: true },
  });
}

// --- One repository. ---

const DETAIL_SELECT = {
  arn: true,
  validFrom: true,
  validTo: true,
  accountId: true,
  region: true,
  name: true,
  uri: true,
  createdAt: true,
  imageTagMutability: true,
  tagMutabilityExclusions: true,
  scanOnPush: true,
  scanFrequency: true,
  appliedScanFilters: true,
  encryptionType: true,
  kmsKey: true,
  lifecyclePolicy: true,
  repositoryPolicy: true,
  tags: true,
  readErrors: true,
  imageCount: true,
  imageBytes: true,
  latestImageDigest: true,
  latestPushedAt: true,
  deletedAt: true,
} satisfies Prisma.RepositorySelect;

export interface RepositoryFilterRule {
  filter: string;
  filterType: string;
}

export interface RepositoryDetail {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  uri: string;
  createdAt: Date;
  imageTagMutability: string;
  tagMutabilityExclusions: RepositoryFilterRule[] | null;
  scanOnPush: boolean;
  scanFrequency: string | null;
  appliedScanFilters: RepositoryFilterRule[] | null;
  encryptionType: string;
  kmsKey: string | null;
  lifecyclePolicy: string | null;
  repositoryPolicy: string | null;
  tags: { key: string; value: string }[] | null;
  /** Operation -> the failure that left its field unknown. */
  readErrors: Record<string, ReadError>;
  imageCount: number;
  imageBytes: number;
  latestImageDigest: string | null;
  latestPushedAt: Date | null;
  /** The run that no longer found the repository, when it is gone; null while it exists. */
  deletedInRun: number | null;
  deletedAt: Date | null;
  /** The snapshot its images and findings are read from: V, or the run before the deletion. */
  contentsRunId: number;
}

const asArray = <T>(value: Prisma.JsonValue | null): T[] | null => (Array.isArray(value) ? (value as T[]) : null);

function asReadErrors(value: Prisma.JsonValue): Record<string, ReadError> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const errors: Record<string, ReadError> = {};
  for (const [operation, failure] of Object.entries(value)) {
    if (failure && typeof failure === "object" && !Array.isArray(failure)) {
      const f = failure as Record<string, unknown>;
      errors[operation] = {
        errorName: typeof f.errorName === "string" ? f.errorName : "UnknownError",
        message: typeof f.message === "string" ? f.message : "",
        operation,
        kind: typeof f.kind === "string" ? f.kind : undefined,
      };
    }
  }
  return errors;
}

/**
 * The repository as of run `runId`: its visible version, or, when it is no longer in that
 * snapshot, its last version marked deleted. Null when it was never seen up to that run.
 */
export async function getRepositoryDetail({
  runId,
  accountId,
  region,
  name,
}: {
  runId: number;
  accountId: string;
  region: string;
  name: string;
}): Promise<RepositoryDetail | null> {
  const row = await getDb().repository.findFirst({
    where: { accountId, region, name, validFrom: { lte: runId } },
    orderBy: { validFrom: "desc" },
    select: DETAIL_SELECT,
  });
  if (!row) return null;
  const visible = row.validTo === null || row.validTo > runId;
  // The writer closes a vanished repository's last version at the run that missed it and stamps deletedAt.
  const deletedInRun = !visible ? row.validTo : row.deletedAt ? (row.validTo ?? row.validFrom) : null;
  return {
    arn: row.arn,
    accountId: row.accountId,
    region: row.region,
    name: row.name,
    uri: row.uri,
    createdAt: row.createdAt,
    imageTagMutability: row.imageTagMutability,
    tagMutabilityExclusions: asArray<RepositoryFilterRule>(row.tagMutabilityExclusions),
    scanOnPush: row.scanOnPush,
    scanFrequency: row.scanFrequency,
    appliedScanFilters: asArray<RepositoryFilterRule>(row.appliedScanFilters),
    encryptionType: row.encryptionType,
    kmsKey: row.kmsKey,
    lifecyclePolicy: row.lifecyclePolicy,
    repositoryPolicy: row.repositoryPolicy,
    tags: asArray<{ key: string; value: string }>(row.tags),
    readErrors: asReadErrors(row.readErrors),
    imageCount: row.imageCount,
    imageBytes: Number(row.imageBytes),
    latestImageDigest: row.latestImageDigest,
    latestPushedAt: row.latestPushedAt,
    deletedInRun,
    deletedAt: row.deletedAt,
    contentsRunId: deletedInRun !== null && !visible ? Math.max(row.validFrom, deletedInRun - 1) : runId,
  };
}

export interface KmsKeyFacts {
  arn: string;
  keyManager: string | null;
  keyState: string | null;
  rotationEnabled: boolean | null;
}

/** The KMS key as collected in the snapshot, when the collector described it. */
export async function getKmsKeyFacts(runId: number, arn: string): Promise<KmsKeyFacts | null> {
  return getDb().kmsKey.findFirst({
    where: { arn, ...inSnapshot(runId) },
    select: { arn: true, keyManager: true, keyState: true, rotationEnabled: true },
  });
}

export interface RepositoryImageRow {
  digest: string;
  tags: string[];
  sizeBytes: number;
  pushedAt: Date;
  lastPulledAt: Date | null;
  artifactMediaType: string | null;
  manifestMediaType: string | null;
  scanStatus: string | null;
  scanDescription: string | null;
  scanCompletedAt: Date | null;
  severityCounts: Record<string, number> | null;
}

/** A repository's images in a snapshot, newest push first, `pageSize` at a time (page 1-based). */
export async function listRepositoryImages({
  runId,
  repositoryArn,
  page = 1,
  pageSize = 100,
}: {
  runId: number;
  repositoryArn: string;
  page?: number;
  pageSize?: number;
}): Promise<{ images: RepositoryImageRow[]; total: number }> {
  const where = { repositoryArn, deletedAt: null, ...inSnapshot(runId) };
  const size = Math.min(Math.max(pageSize, 1), 500);
  const [total, rows] = await Promise.all([
    getDb().image.count({ where }),
    getDb().image.findMany({
      where,
      orderBy: [{ pushedAt: "desc" }, { digest: "asc" }],
      skip: (Math.max(page, 1) - 1) * size,
      take: size,
      select: {
        digest: true,
        tags: true,
        sizeBytes: true,
        pushedAt: true,
        lastPulledAt: true,
        artifactMediaType: true,
        manifestMediaType: true,
        scanStatus: true,
        scanDescription: true,
        scanCompletedAt: true,
        severityCounts: true,
      },
    }),
  ]);
  return {
    total,
    images: rows.map((row) => ({
      ...row,
      sizeBytes: Number(row.sizeBytes),
      severityCounts:
        row.severityCounts && typeof row.severityCounts === "object" && !Array.isArray(row.severityCounts)
          ? (row.severityCounts as Record<string, number>)
          : null,
    })),
  };
}

/** A stored finding as the detail page lists it: the collector's record, with where it came from. */
export type RepositoryFindingRow = Omit<FindingRecord, "description"> & { imageDigest: string; source: string };

/**
 * The findings the snapshot holds for the repository: the scan of its latest scannable image.
 * Most severe first, then highest score; at most `limit` rows, `total` says how many there are.
 */
export async function listRepositoryFindings({
  runId,
  repositoryArn,
  limit = 500,
}: {
  runId: number;
  repositoryArn: string;
  limit?: number;
}): Promise<{ findings: RepositoryFindingRow[]; total: number }> {
  const conditions = Prisma.sql`f."repositoryArn" = ${repositoryArn} AND ${snapshot("f", runId)}`;
  const rank = Prisma.raw(
    `CASE f."severity" ${SEVERITY_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE ${SEVERITY_ORDER.length} END`,
  );
  const [rows, [count]] = await Promise.all([
    getDb().$queryRaw<RepositoryFindingRow[]>`
      SELECT f."imageDigest", f."key", f."name", f."severity", f."packageName", f."packageVersion", f."fixedInVersion",
             f."uri", f."score", f."source"
      FROM "Finding" f
      WHERE ${conditions}
      ORDER BY ${rank}, f."score" DESC NULLS LAST, f."name", f."key"
      LIMIT ${Math.min(Math.max(limit, 1), 5000)}`,
    getDb().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" FROM "Finding" f WHERE ${conditions}`,
  ]);
  return { findings: rows.map((row) => ({ ...row, score: row.score === null ? null : Number(row.score) })), total: Number(count.count) };
}
