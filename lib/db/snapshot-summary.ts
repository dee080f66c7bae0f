import "server-only";
import { getPool } from "./pool";
import { inSnapshotSql } from "./snapshot";

/** Counts over one run's snapshot for the Overview and Vulnerabilities pages. */

export interface SnapshotSummary {
  runId: number;
  status: string;
  finishedAt: Date | null;
  accounts: number;
  registries: number;
  repositories: number;
  images: number;
  imageBytes: number;
  failedTargets: number;
  failedCalls: number;
  /** Findings in each repository's latest scanned image, by severity. */
  findingsBySeverity: Record<string, number>;
}

const SNAPSHOT = (alias: string) => inSnapshotSql(alias, "$1");

export async function getSnapshotSummary(runId: number): Promise<SnapshotSummary | null> {
  const pool = getPool();
  const { rows } = await pool.query<Omit<SnapshotSummary, "findingsBySeverity" | "imageBytes"> & { imageBytes: string }>(
    `SELECT r."id" AS "runId", r."status"::text AS status, r."finishedAt",
            (SELECT count(DISTINCT g."accountId")::int FROM "Registry" g WHERE ${SNAPSHOT("g")}) AS accounts,
            (SELECT count(*)::int FROM "Registry" g WHERE ${SNAPSHOT("g")}) AS registries,
            (SELECT count(*)::int FROM "Repository" p WHERE ${SNAPSHOT("p")}) AS repositories,
            (SELECT coalesce(sum(p."imageCount"), 0)::int FROM "Repository" p WHERE ${SNAPSHOT("p")}) AS images,
            (SELECT coalesce(sum(p."imageBytes"), 0)::text FROM "Repository" p WHERE ${SNAPSHOT("p")}) AS "imageBytes",
            r."targetsFailed" AS "failedTargets",
            (SELECT count(*)::int FROM "CollectionError" e WHERE e."runId" = r."id") AS "failedCalls"
       FROM "CollectionRun" r WHERE r."id" = $1`,
    [runId],
  );
  if (!rows[0]) return null;
  const severities = await pool.query<{ severity: string; count: number }>(
    `SELECT f."severity", count(*)::int AS count FROM "Finding" f WHERE ${SNAPSHOT("f")} GROUP BY 1`,
    [runId],
  );
  return { ...rows[0], imageBytes: Number(rows[0].imageBytes), findingsBySeverity: Object.fromEntries(severities.rows.map((r) => [r.severity, r.count])) };
}

export interface RepositoryVulnerabilities {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageDigest: string;
  counts: Record<string, number>;
  total: number;
}

/** Repositories whose latest scanned image has findings, worst first. */
export async function listMostVulnerableRepositories(runId: number, limit = 50): Promise<RepositoryVulnerabilities[]> {
  const { rows } = await getPool().query<{ arn: string; accountId: string; region: string; name: string; imageDigest: string; counts: Record<string, number>; total: number }>(
    `SELECT p."arn", p."accountId", p."region", p."name", f."imageDigest", jsonb_object_agg(f."severity", f.n) AS counts, sum(f.n)::int AS total,
            sum(f.n) FILTER (WHERE f."severity" = 'CRITICAL') AS critical, sum(f.n) FILTER (WHERE f."severity" = 'HIGH') AS high
       FROM (SELECT "repositoryArn", "imageDigest", "severity", count(*)::int AS n FROM "Finding" x WHERE ${SNAPSHOT("x")} GROUP BY 1, 2, 3) f
       JOIN "Repository" p ON p."arn" = f."repositoryArn" AND ${SNAPSHOT("p")}
      GROUP BY p."arn", p."accountId", p."region", p."name", f."imageDigest"
      ORDER BY critical DESC NULLS LAST, high DESC NULLS LAST, total DESC, p."name"
      LIMIT $2`,
    [runId, limit],
  );
  return rows.map(({ arn, accountId, region, name, imageDigest, counts, total }) => ({ arn, accountId, region, name, imageDigest, counts, total }));
}
