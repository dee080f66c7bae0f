import "server-only";
import { SEVERITY_ORDER, severityRank } from "@/lib/severity";
import { getPool } from "./pool";
import { inSnapshotSql } from "./snapshot";

/**
 * Scan findings in the latest images across the organisation, grouped by vulnerability. Every
 * read names the snapshot (run id) it reads and works in SQL: GROUP BY with LIMIT, keyset pages
 * on (severity rank, name), so a page never loads the organisation's findings into memory.
 */

export interface VulnerabilityFilter {
  /** One of SEVERITY_ORDER (or any severity string the scanner used). */
  severity?: string;
  /** "yes": findings with a fixed-in version; "no": findings without one. */
  fix?: "yes" | "no";
  /** Case-insensitive substring of the package name. */
  packageName?: string;
  accountId?: string;
}

/** A position in the (severity rank, name) ordering. */
export interface VulnerabilityCursor {
  rank: number;
  name: string;
}

/** 0 for CRITICAL ... an unknown severity after every known one (lib/severity.ts severityRank, in SQL). */
function rankSql(alias: string): string {
  return `(CASE ${alias}."severity" ${SEVERITY_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE ${SEVERITY_ORDER.length} END)`;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The finding predicate: in run $1's snapshot, and the filter. `params[0]` is the run id. */
function findingWhere(alias: string, runId: number, filter: VulnerabilityFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [runId];
  const parts = [inSnapshotSql(alias, "$1")];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.severity) add((p) => `${alias}."severity" = ${p}`, filter.severity);
  if (filter.fix === "yes") parts.push(`${alias}."fixedInVersion" IS NOT NULL`);
  if (filter.fix === "no") parts.push(`${alias}."fixedInVersion" IS NULL`);
  if (filter.packageName) add((p) => `${alias}."packageName" ILIKE '%' || ${p} || '%'`, escapeLike(filter.packageName));
  if (filter.accountId) add((p) => `${alias}."accountId" = ${p}`, filter.accountId);
  return { sql: parts.join(" AND "), params };
}

export interface SeverityBucket {
  severity: string;
  /** Finding rows (one per vulnerability, package and repository). */
  findings: number;
  /** Distinct vulnerability names. */
  vulnerabilities: number;
  repositories: number;
}

export interface VulnerabilityCounts {
  /** Most severe first (lib/severity.ts order). */
  bySeverity: SeverityBucket[];
  total: Omit<SeverityBucket, "severity">;
}

/**
 * Counts per severity and in total over the findings matching `filter`. The snapshot's findings
 * are read once; the distinct counts are hash aggregates (count(DISTINCT) would sort every row).
 */
export async function getVulnerabilityCounts(runId: number, filter: VulnerabilityFilter = {}): Promise<VulnerabilityCounts> {
  const { sql, params } = findingWhere("f", runId, filter);
  const { rows } = await getPool().query<{ severity: string | null; findings: number; vulnerabilities: number; repositories: number }>(
    `WITH f AS MATERIALIZED (SELECT f."severity", f."name", f."repositoryArn" FROM "Finding" f WHERE ${sql}),
          n AS (SELECT "severity", count(*)::int AS "findings" FROM f GROUP BY 1),
          v AS (SELECT "severity", count(*)::int AS "vulnerabilities" FROM (SELECT DISTINCT "severity", "name" FROM f) x GROUP BY 1),
          r AS (SELECT "severity", count(*)::int AS "repositories" FROM (SELECT DISTINCT "severity", "repositoryArn" FROM f) x GROUP BY 1)
     SELECT n."severity", n."findings", v."vulnerabilities", r."repositories" FROM n JOIN v USING ("severity") JOIN r USING ("severity")
     UNION ALL
     SELECT NULL, (SELECT count(*)::int FROM f), (SELECT count(*)::int FROM (SELECT DISTINCT "name" FROM f) x),
            (SELECT count(*)::int FROM (SELECT DISTINCT "repositoryArn" FROM f) x)`,
    params,
  );
  // Severity is NOT NULL in the table, so the NULL row is the total.
  const totalRow = rows.find((r) => r.severity === null);
  const bySeverity = rows
    .filter((r): r is typeof r & { severity: string } => r.severity !== null)
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.severity.localeCompare(b.severity))
    .map(({ severity, findings, vulnerabilities, repositories }) => ({ severity, findings, vulnerabilities, repositories }));
  return { bySeverity, total: { findings: totalRow?.findings ?? 0, vulnerabilities: totalRow?.vulnerabilities ?? 0, repositories: totalRow?.repositories ?? 0 } };
}

export interface VulnerabilityRow {
  name: string;
  /** The most severe severity any of its findings has. */
  severity: string;
  rank: number;
  /** The highest score (CVSS, enhanced scanning) among its findings; null when none has one. */
  score: number | null;
  findings: number;
  repositories: number;
  accounts: number;
  /** Findings with a fixed-in version. */
  fixable: number;
  /** Up to three package names (A to Z) and how many distinct ones there are. */
  packages: string[];
  packageCount: number;
  /** Up to three fixed-in versions and how many distinct ones there are. */
  fixedIn: string[];
  fixedInCount: number;
}

export interface VulnerabilityPage {
  rows: VulnerabilityRow[];
  /** Cursors for the neighbouring pages; null when there is none. */
  next: VulnerabilityCursor | null;
  previous: VulnerabilityCursor | null;
}

/**
 * One keyset page of vulnerabilities (grouped by name) in (severity rank, name) order, after or
 * before a cursor. Two passes over the snapshot's matching findings: the first finds the page's
 * names (a hash aggregate of name -> rank and a top-N sort), the second aggregates only those.
 */
export async function listVulnerabilities({
  runId,
  filter,
  after,
  before,
  limit = 50,
}: {
  runId: number;
  filter: VulnerabilityFilter;
  after?: VulnerabilityCursor;
  before?: VulnerabilityCursor;
  limit?: number;
}): Promise<VulnerabilityPage> {
  const size = Math.min(Math.max(limit, 1), 500);
  const { sql, params } = findingWhere("f", runId, filter);
  const backwards = !after && !!before;
  const cursor = after ?? before;
  let keyset = "";
  if (cursor) {
    params.push(cursor.rank, cursor.name);
    keyset = `WHERE (k."rank", k."name") ${backwards ? "<" : ">"} ($${params.length - 1}::int, $${params.length}::text)`;
  }
  params.push(size + 1);
  const rank = rankSql("f");
  const { rows } = await getPool().query<VulnerabilityRow>(
    `WITH page AS (
       SELECT k."name", k."rank" FROM (SELECT f."name", min(${rank})::int AS "rank" FROM "Finding" f WHERE ${sql} GROUP BY f."name") k
       ${keyset}
       ORDER BY ${backwards ? `k."rank" DESC, k."name" DESC` : `k."rank", k."name"`} LIMIT $${params.length}
     )
     SELECT f."name", page."rank", (array_agg(f."severity" ORDER BY ${rank}, f."severity"))[1] AS "severity",
            max(f."score") AS "score", count(*)::int AS "findings",
            count(DISTINCT f."repositoryArn")::int AS "repositories", count(DISTINCT f."accountId")::int AS "accounts",
            count(*) FILTER (WHERE f."fixedInVersion" IS NOT NULL)::int AS "fixable",
            coalesce((array_agg(DISTINCT f."packageName") FILTER (WHERE f."packageName" IS NOT NULL))[1:3], '{}') AS "packages",
            count(DISTINCT f."packageName")::int AS "packageCount",
            coalesce((array_agg(DISTINCT f."fixedInVersion") FILTER (WHERE f."fixedInVersion" IS NOT NULL))[1:3], '{}') AS "fixedIn",
            count(DISTINCT f."fixedInVersion")::int AS "fixedInCount"
       FROM "Finding" f JOIN page ON page."name" = f."name"
      WHERE ${sql}
      GROUP BY f."name", page."rank"
      ORDER BY ${backwards ? `page."rank" DESC, f."name" DESC` : `page."rank", f."name"`}`,
    params,
  );
  const more = rows.length > size;
  const page = (more ? rows.slice(0, size) : rows).map((r) => ({ ...r, score: r.score === null ? null : Number(r.score) }));
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const at = (r: VulnerabilityRow | undefined) => (r ? { rank: r.rank, name: r.name } : null);
  return {
    rows: page,
    // Going back, a later page exists (the one we came from); going forward, an earlier one does when there was a cursor.
    next: backwards || more ? at(last) : null,
    previous: backwards ? (more ? at(first) : null) : cursor ? at(first) : null,
  };
}

export interface AffectedRepository {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageDigest: string;
  /** Severity -> findings in the latest image (matching the filter). */
  counts: Record<string, number>;
  total: number;
}

/** Repositories whose latest image has findings matching `filter`, most critical, then high, then most findings first. */
export async function listAffectedRepositories(runId: number, filter: VulnerabilityFilter = {}, limit = 20): Promise<AffectedRepository[]> {
  const { sql, params } = findingWhere("f", runId, filter);
  params.push(Math.min(Math.max(limit, 1), 500));
  const { rows } = await getPool().query<AffectedRepository>(
    `WITH s AS (
       SELECT f."repositoryArn", f."severity", min(f."imageDigest") AS "imageDigest", count(*)::int AS n
         FROM "Finding" f WHERE ${sql} GROUP BY 1, 2
     ), r AS (
       SELECT s."repositoryArn", min(s."imageDigest") AS "imageDigest", jsonb_object_agg(s."severity", s.n) AS "counts", sum(s.n)::int AS "total",
              coalesce(sum(s.n) FILTER (WHERE s."severity" = 'CRITICAL'), 0) AS "critical", coalesce(sum(s.n) FILTER (WHERE s."severity" = 'HIGH'), 0) AS "high"
         FROM s GROUP BY 1
        ORDER BY "critical" DESC, "high" DESC, "total" DESC, 1 LIMIT $${params.length}
     )
     SELECT p."arn", p."accountId", p."region", p."name", r."imageDigest", r."counts", r."total"
       FROM r JOIN "Repository" p ON p."arn" = r."repositoryArn" AND ${inSnapshotSql("p", "$1")}
      ORDER BY r."critical" DESC, r."high" DESC, r."total" DESC, p."name"`,
    params,
  );
  return rows;
}

export interface SnapshotAccount {
  accountId: string;
  /** The name on the Accounts page; null for an account no longer registered. */
  name: string | null;
}

/** Accounts with a registry in run `runId`'s snapshot (the account filter's options). */
export async function listSnapshotAccounts(runId: number): Promise<SnapshotAccount[]> {
  const { rows } = await getPool().query<SnapshotAccount>(
    `SELECT DISTINCT g."accountId", a."name" FROM "Registry" g LEFT JOIN "AwsAccount" a ON a."id" = g."accountId"
      WHERE ${inSnapshotSql("g", "$1")} ORDER BY g."accountId"`,
    [runId],
  );
  return rows;
}

export interface VulnerabilitySummary {
  name: string;
  severity: string;
  score: number | null;
  description: string | null;
  /** The scanner's reference link (data from AWS: callers link only http(s)). */
  uri: string | null;
  /** basic and/or enhanced. */
  sources: string[];
  findings: number;
  repositories: number;
  accounts: number;
  fixable: number;
}

/** One vulnerability over the snapshot; null when no latest image has it. */
export async function getVulnerabilitySummary(runId: number, name: string): Promise<VulnerabilitySummary | null> {
  const rank = rankSql("f");
  const { rows } = await getPool().query<VulnerabilitySummary & { findings: number }>(
    `SELECT f."name", (array_agg(f."severity" ORDER BY ${rank}, f."severity"))[1] AS "severity", max(f."score") AS "score",
            (array_agg(f."description") FILTER (WHERE f."description" IS NOT NULL))[1] AS "description",
            (array_agg(f."uri") FILTER (WHERE f."uri" IS NOT NULL))[1] AS "uri",
            array_agg(DISTINCT f."source") AS "sources", count(*)::int AS "findings",
            count(DISTINCT f."repositoryArn")::int AS "repositories", count(DISTINCT f."accountId")::int AS "accounts",
            count(*) FILTER (WHERE f."fixedInVersion" IS NOT NULL)::int AS "fixable"
       FROM "Finding" f WHERE f."name" = $2 AND ${inSnapshotSql("f", "$1")}
      GROUP BY f."name"`,
    [runId, name],
  );
  const row = rows[0];
  return row ? { ...row, score: row.score === null ? null : Number(row.score) } : null;
}

export interface AffectedPackage {
  name: string | null;
  version: string | null;
  fixedIn: string | null;
}

export interface VulnerableImage {
  arn: string;
  accountId: string;
  accountName: string | null;
  region: string;
  /** The repository's name; derived from the ARN when its version is not in the snapshot. */
  name: string;
  imageDigest: string;
  severity: string;
  score: number | null;
  packages: AffectedPackage[];
}

/** The repositories (latest images) with one vulnerability, most severe first, then by account, region and name. */
export async function listVulnerableImages(runId: number, name: string, limit = 500): Promise<{ rows: VulnerableImage[]; total: number }> {
  const rank = rankSql("f");
  const pool = getPool();
  const [list, count] = await Promise.all([
    pool.query<VulnerableImage>(
      `SELECT f."repositoryArn" AS "arn", f."accountId", a."name" AS "accountName", f."region",
              coalesce(p."name", split_part(f."repositoryArn", ':repository/', 2)) AS "name", f."imageDigest",
              (array_agg(f."severity" ORDER BY ${rank}, f."severity"))[1] AS "severity", max(f."score") AS "score",
              jsonb_agg(jsonb_build_object('name', f."packageName", 'version', f."packageVersion", 'fixedIn', f."fixedInVersion")
                        ORDER BY f."packageName", f."packageVersion") AS "packages"
         FROM "Finding" f
         LEFT JOIN "Repository" p ON p."arn" = f."repositoryArn" AND ${inSnapshotSql("p", "$1")}
         LEFT JOIN "AwsAccount" a ON a."id" = f."accountId"
        WHERE f."name" = $2 AND ${inSnapshotSql("f", "$1")}
        GROUP BY f."repositoryArn", f."accountId", a."name", f."region", p."name", f."imageDigest"
        ORDER BY min(${rank}), f."accountId", f."region", 5
        LIMIT $3`,
      [runId, name, Math.min(Math.max(limit, 1), 5000)],
    ),
    pool.query<{ total: number }>(
      `SELECT count(DISTINCT (f."repositoryArn", f."imageDigest"))::int AS "total" FROM "Finding" f WHERE f."name" = $2 AND ${inSnapshotSql("f", "$1")}`,
      [runId, name],
    ),
  ]);
  return { rows: list.rows.map((r) => ({ ...r, score: r.score === null ? null : Number(r.score) })), total: count.rows[0]?.total ?? 0 };
}

export interface VulnerableAccount {
  accountId: string;
  name: string | null;
  repositories: number;
  regions: string[];
}

/** The accounts with one vulnerability, most affected repositories first. */
export async function listVulnerableAccounts(runId: number, name: string): Promise<VulnerableAccount[]> {
  const { rows } = await getPool().query<VulnerableAccount>(
    `SELECT f."accountId", a."name", count(DISTINCT f."repositoryArn")::int AS "repositories", array_agg(DISTINCT f."region" ORDER BY f."region") AS "regions"
       FROM "Finding" f LEFT JOIN "AwsAccount" a ON a."id" = f."accountId"
      WHERE f."name" = $2 AND ${inSnapshotSql("f", "$1")}
      GROUP BY f."accountId", a."name"
      ORDER BY 3 DESC, 1`,
    [runId, name],
  );
  return rows;
}
