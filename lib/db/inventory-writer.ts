import "server-only";
import type { RegionCollection, RepositoryCollection } from "@/lib/aws/collect-region";
import type { FindingRecord, ImageRecord, KmsKeyRecord } from "@/lib/aws/types";
import { storedBytes } from "@/lib/cost/stored-bytes";
import { inTransaction } from "./pool";
import { contentHash, resetScopeForRun, type VersionedTable, writeVersioned } from "./versioned-writer";

/**
 * Stores one account x region's collection as the run's version of its registry, repositories,
 * images, latest-image findings and KMS keys, in one transaction: a target is either written
 * completely or not at all, so a worker killed mid-write leaves the previous version in place.
 */

type RepositoryRow = RepositoryCollection & { summary: ImageSummary; findingsHash: string | null };
// Wrappers rather than spread copies: a registry can hold hundreds of thousands of images.
interface ImageRow {
  image: ImageRecord;
  repositoryArn: string;
  accountId: string;
  region: string;
}
interface FindingRow {
  finding: FindingRecord;
  repositoryArn: string;
  imageDigest: string;
  accountId: string;
  region: string;
  source: string;
}

interface ImageSummary {
  count: number;
  bytes: number;
  /** Null when the images were not read (their stored bytes are unknown, not zero). */
  storedBytes: number | null;
  storedBytesExact: boolean | null;
  latestDigest: string | null;
  latestPushedAt: Date | null;
}

function summarise(images: ImageRecord[] | null): ImageSummary {
  if (!images) return { count: 0, bytes: 0, storedBytes: null, storedBytesExact: null, latestDigest: null, latestPushedAt: null };
  let latest: ImageRecord | null = null;
  let bytes = 0;
  for (const image of images) {
    bytes += image.sizeBytes;
    if (!latest || image.pushedAt > latest.pushedAt) latest = image;
  }
  const stored = storedBytes(images);
  return { count: images.length, bytes, storedBytes: stored.bytes, storedBytesExact: stored.exact, latestDigest: latest?.digest ?? null, latestPushedAt: latest?.pushedAt ?? null };
}

const REPOSITORY: VersionedTable<RepositoryRow> = {
  table: "Repository",
  keyColumns: ["arn"],
  marksDeleted: true,
  columns: [
    { name: "arn", type: "text", value: (r) => r.repository.arn },
    { name: "accountId", type: "text", value: (r) => r.repository.accountId },
    { name: "region", type: "text", value: (r) => r.repository.region },
    { name: "name", type: "text", value: (r) => r.repository.name },
    { name: "uri", type: "text", value: (r) => r.repository.uri },
    { name: "createdAt", type: "timestamp", value: (r) => r.repository.createdAt },
    { name: "imageTagMutability", type: "text", value: (r) => r.repository.imageTagMutability },
    { name: "tagMutabilityExclusions", type: "jsonb", value: (r) => r.repository.tagMutabilityExclusions },
    { name: "scanOnPush", type: "bool", value: (r) => r.repository.scanOnPush },
    { name: "scanFrequency", type: "text", value: (r) => r.repository.scanFrequency },
    { name: "appliedScanFilters", type: "jsonb", value: (r) => r.repository.appliedScanFilters },
    { name: "encryptionType", type: "text", value: (r) => r.repository.encryptionType },
    { name: "kmsKey", type: "text", value: (r) => r.repository.kmsKey },
    { name: "lifecyclePolicy", type: "text", value: (r) => r.repository.lifecyclePolicy },
    { name: "repositoryPolicy", type: "text", value: (r) => r.repository.repositoryPolicy },
    { name: "tags", type: "jsonb", value: (r) => r.repository.tags },
    { name: "readErrors", type: "jsonb", value: (r) => r.repository.errors },
    { name: "imageCount", type: "int4", value: (r) => r.summary.count },
    { name: "imageBytes", type: "int8", value: (r) => r.summary.bytes },
    { name: "storedBytes", type: "int8", value: (r) => r.summary.storedBytes },
    { name: "storedBytesExact", type: "bool", value: (r) => r.summary.storedBytesExact },
    { name: "latestImageDigest", type: "text", value: (r) => r.summary.latestDigest },
    { name: "latestPushedAt", type: "timestamp", value: (r) => r.summary.latestPushedAt },
    { name: "findingsHash", type: "text", value: (r) => r.findingsHash },
  ],
};

const IMAGE: VersionedTable<ImageRow> = {
  table: "Image",
  keyColumns: ["repositoryArn", "digest"],
  marksDeleted: true,
  columns: [
    { name: "repositoryArn", type: "text", value: (r) => r.repositoryArn },
    { name: "digest", type: "text", value: (r) => r.image.digest },
    { name: "accountId", type: "text", value: (r) => r.accountId },
    { name: "region", type: "text", value: (r) => r.region },
    { name: "tags", type: "text[]", value: (r) => r.image.tags },
    { name: "sizeBytes", type: "int8", value: (r) => r.image.sizeBytes },
    { name: "pushedAt", type: "timestamp", value: (r) => r.image.pushedAt },
    { name: "lastPulledAt", type: "timestamp", value: (r) => r.image.lastPulledAt },
    { name: "manifestMediaType", type: "text", value: (r) => r.image.manifestMediaType },
    { name: "artifactMediaType", type: "text", value: (r) => r.image.artifactMediaType },
    { name: "scanStatus", type: "text", value: (r) => r.image.scanStatus },
    { name: "scanDescription", type: "text", value: (r) => r.image.scanDescription },
    { name: "scanCompletedAt", type: "timestamp", value: (r) => r.image.scanCompletedAt },
    { name: "severityCounts", type: "jsonb", value: (r) => r.image.severityCounts },
    { name: "layers", type: "jsonb", value: (r) => r.image.layers },
  ],
};

const FINDING: VersionedTable<FindingRow> = {
  table: "Finding",
  keyColumns: ["repositoryArn", "imageDigest", "key"],
  marksDeleted: false,
  columns: [
    { name: "repositoryArn", type: "text", value: (r) => r.repositoryArn },
    { name: "imageDigest", type: "text", value: (r) => r.imageDigest },
    { name: "key", type: "text", value: (r) => r.finding.key },
    { name: "accountId", type: "text", value: (r) => r.accountId },
    { name: "region", type: "text", value: (r) => r.region },
    { name: "source", type: "text", value: (r) => r.source },
    { name: "name", type: "text", value: (r) => r.finding.name },
    { name: "severity", type: "text", value: (r) => r.finding.severity },
    { name: "packageName", type: "text", value: (r) => r.finding.packageName },
    { name: "packageVersion", type: "text", value: (r) => r.finding.packageVersion },
    { name: "fixedInVersion", type: "text", value: (r) => r.finding.fixedInVersion },
    { name: "uri", type: "text", value: (r) => r.finding.uri },
    { name: "description", type: "text", value: (r) => r.finding.description },
    { name: "score", type: "float8", value: (r) => r.finding.score },
  ],
};

const KMS_KEY: VersionedTable<KmsKeyRecord> = {
  table: "KmsKey",
  keyColumns: ["arn"],
  marksDeleted: false,
  columns: [
    { name: "arn", type: "text", value: (r) => r.arn },
    { name: "accountId", type: "text", value: (r) => r.accountId },
    { name: "region", type: "text", value: (r) => r.region },
    { name: "keyManager", type: "text", value: (r) => r.keyManager },
    { name: "keyState", type: "text", value: (r) => r.keyState },
    { name: "rotationEnabled", type: "bool", value: (r) => r.rotationEnabled },
    { name: "readErrors", type: "jsonb", value: (r) => r.errors },
  ],
};

type RegistryRow = RegionCollection & { accountId: string; region: string; counts: { repositories: number; images: number; bytes: number } };

const REGISTRY: VersionedTable<RegistryRow> = {
  table: "Registry",
  keyColumns: ["accountId", "region"],
  marksDeleted: false,
  columns: [
    { name: "accountId", type: "text", value: (r) => r.accountId },
    { name: "region", type: "text", value: (r) => r.region },
    { name: "scanType", type: "text", value: (r) => r.registry.scanType },
    { name: "scanRules", type: "jsonb", value: (r) => r.registry.scanRules },
    { name: "registryPolicy", type: "text", value: (r) => r.registry.registryPolicy },
    { name: "replicationRules", type: "jsonb", value: (r) => r.registry.replicationRules },
    { name: "trails", type: "jsonb", value: (r) => r.services.trails },
    { name: "guardDutyDetectors", type: "jsonb", value: (r) => r.services.guardDutyDetectors },
    { name: "vpcs", type: "jsonb", value: (r) => r.services.vpcs },
    { name: "vpcEndpoints", type: "jsonb", value: (r) => r.services.vpcEndpoints },
    { name: "inspectorCoverage", type: "jsonb", value: (r) => r.services.inspectorCoverage },
    { name: "readErrors", type: "jsonb", value: (r) => ({ ...r.registry.errors, ...r.services.errors }) },
    { name: "repositoryCount", type: "int4", value: (r) => r.counts.repositories },
    { name: "imageCount", type: "int4", value: (r) => r.counts.images },
    { name: "imageBytes", type: "int8", value: (r) => r.counts.bytes },
  ],
};

export interface RegionWriteResult {
  rowsWritten: number;
  unchanged: number;
}

/**
 * `resumed`: an earlier attempt at this target may have written before its worker died; what it
 * wrote is undone first (inside the same transaction).
 */
export async function writeRegionCollection(runId: number, accountId: string, region: string, collection: RegionCollection, { resumed = false } = {}): Promise<RegionWriteResult> {
  const scope = { accountId, region };
  const repositories: RepositoryRow[] = collection.repositories.map((entry) => ({
    ...entry,
    summary: summarise(entry.images),
    findingsHash: entry.findings ? contentHash([entry.findings.imageDigest, entry.findings.source, entry.findings.findings.map((f) => f.key).sort()]) : null,
  }));
  // Images and findings of a repository whose read failed are unknown, not gone: keep them.
  const imagesUnread = new Set(repositories.filter((r) => r.images === null).map((r) => r.repository.arn));
  const findingsUnread = new Set(
    repositories.filter((r) => r.repository.errors.DescribeImageScanFindings || r.repository.errors.ListFindings || r.images === null).map((r) => r.repository.arn),
  );
  const images: ImageRow[] = [];
  const findings: FindingRow[] = [];
  for (const entry of repositories) {
    for (const image of entry.images ?? []) images.push({ image, repositoryArn: entry.repository.arn, accountId, region });
    if (entry.findings) {
      for (const finding of entry.findings.findings) {
        findings.push({ finding, repositoryArn: entry.repository.arn, imageDigest: entry.findings.imageDigest, accountId, region, source: entry.findings.source });
      }
    }
  }
  const counts = {
    repositories: repositories.length,
    images: repositories.reduce((n, r) => n + r.summary.count, 0),
    bytes: repositories.reduce((n, r) => n + r.summary.bytes, 0),
  };

  return inTransaction(async (client) => {
    if (resumed) {
      for (const spec of [KMS_KEY, REPOSITORY, IMAGE, FINDING, REGISTRY]) await resetScopeForRun(client, spec.table, runId, scope, spec.marksDeleted);
    }
    const results = [
      await writeVersioned(client, KMS_KEY, runId, scope, collection.kmsKeys),
      await writeVersioned(client, REPOSITORY, runId, scope, repositories),
      await writeVersioned(client, IMAGE, runId, scope, images, { isGoneWhenMissing: ([repositoryArn]) => !imagesUnread.has(repositoryArn) }),
      await writeVersioned(client, FINDING, runId, scope, findings, { isGoneWhenMissing: ([repositoryArn]) => !findingsUnread.has(repositoryArn) }),
      await writeVersioned(client, REGISTRY, runId, scope, [{ ...collection, accountId, region, counts }]),
    ];
    return {
      rowsWritten: results.reduce((n, r) => n + r.inserted + r.closed, 0),
      unchanged: results.reduce((n, r) => n + r.unchanged, 0),
    };
  });
}
