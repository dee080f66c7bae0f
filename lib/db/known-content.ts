import "server-only";
import type { KnownContent } from "@/lib/aws/collect-region";
import type { FindingRecord, ImageFindingsRecord, ImageRecord, LayerRecord } from "@/lib/aws/types";
import { getPool } from "./pool";

/**
 * What the stored inventory of one account x region already knows that cannot have changed:
 * each image's layers (a manifest is fixed by its digest) and the findings of each repository's
 * latest scan (fixed by the image, the scan's completion time and its severity counts).
 */
export async function getKnownContent(accountId: string, region: string): Promise<KnownContent> {
  const pool = getPool();
  const [layerRows, findingRows] = await Promise.all([
    pool.query<{ repositoryArn: string; digest: string; layers: LayerRecord[] }>(
      `SELECT "repositoryArn", "digest", "layers" FROM "Image" WHERE "accountId" = $1 AND "region" = $2 AND "validTo" IS NULL AND "layers" IS NOT NULL`,
      [accountId, region],
    ),
    pool.query<FindingRecord & { repositoryArn: string; imageDigest: string; source: string; scanStatus: string | null; scanCompletedAt: Date | null; severityCounts: Record<string, number> | null }>(
      `SELECT f."repositoryArn", f."imageDigest", f."source", f."key", f."name", f."severity", f."packageName", f."packageVersion", f."fixedInVersion", f."uri", f."description", f."score",
              i."scanStatus", i."scanCompletedAt", i."severityCounts"
         FROM "Finding" f
         JOIN "Image" i ON i."repositoryArn" = f."repositoryArn" AND i."digest" = f."imageDigest" AND i."validTo" IS NULL
        WHERE f."accountId" = $1 AND f."region" = $2 AND f."validTo" IS NULL`,
      [accountId, region],
    ),
  ]);
  const layers = new Map<string, LayerRecord[]>();
  // jsonb reorders object keys; rebuilt in the collector's order so the content hash is unchanged.
  for (const row of layerRows.rows) layers.set(`${row.repositoryArn} ${row.digest}`, row.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })));

  const findings = new Map<string, ImageFindingsRecord & { severityCounts: Record<string, number> | null }>();
  for (const row of findingRows.rows) {
    let entry = findings.get(row.repositoryArn);
    if (!entry) {
      entry = { imageDigest: row.imageDigest, source: row.source as ImageFindingsRecord["source"], scanStatus: row.scanStatus, scanCompletedAt: row.scanCompletedAt, severityCounts: row.severityCounts, findings: [] };
      findings.set(row.repositoryArn, entry);
    }
    entry.findings.push({
      key: row.key, name: row.name, severity: row.severity, packageName: row.packageName, packageVersion: row.packageVersion,
      fixedInVersion: row.fixedInVersion, uri: row.uri, description: row.description, score: row.score,
    });
  }
  const sameCounts = (a: Record<string, number> | null, b: Record<string, number> | null) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

  return {
    layers: (repositoryArn, digest) => layers.get(`${repositoryArn} ${digest}`),
    findings(repositoryArn, latest: ImageRecord) {
      const known = findings.get(repositoryArn);
      if (!known || known.imageDigest !== latest.digest || !latest.scanCompletedAt || known.scanCompletedAt?.getTime() !== latest.scanCompletedAt.getTime()) return undefined;
      if (known.scanStatus !== latest.scanStatus || !sameCounts(known.severityCounts, latest.severityCounts)) return undefined;
      const { severityCounts: _counts, ...record } = known;
      return { ...record, findings: [...record.findings] };
    },
  };
}

function sortKeys(value: Record<string, number> | null) {
  return value ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : null;
}
