import type { RegionCollection } from "@/lib/aws/collect-region";
import type { ImageRecord } from "@/lib/aws/types";
import { disconnectDb } from "@/lib/db/client";
import { writeRegionCollection } from "@/lib/db/inventory-writer";
import { closePool } from "@/lib/db/pool";
import { createBenchDatabase } from "./bench-database";

const database = await createBenchDatabase("portwatch_bench_write");

const REPOS = 400;
const IMAGES = 500;
const accountId = "111111111111";
const region = "us-east-1";
function collection(changedEvery: number): RegionCollection {
  return {
    registry: { accountId, region, scanType: "BASIC", scanRules: [], registryPolicy: null, replicationRules: [], errors: {} },
    services: { trails: [], guardDutyDetectors: [], vpcs: [], vpcEndpoints: [], inspectorCoverage: null, errors: {} },
    kmsKeys: [],
    failures: [],
    stats: { calls: 0, throttled: 0, failed: 0 },
    repositories: Array.from({ length: REPOS }, (_, r) => {
      const arn = `arn:aws:ecr:${region}:${accountId}:repository/team-${r}/service`;
      return {
        repository: {
          arn, accountId, region, name: `team-${r}/service`, uri: `${accountId}.dkr.ecr.${region}.amazonaws.com/team-${r}/service`,
          createdAt: new Date("2025-01-01T00:00:00Z"), imageTagMutability: "MUTABLE", tagMutabilityExclusions: null, scanOnPush: true,
          encryptionType: "AES256", kmsKey: null, scanFrequency: "SCAN_ON_PUSH", appliedScanFilters: [], lifecyclePolicy: null,
          repositoryPolicy: null, tags: [], errors: {},
        },
        images: Array.from({ length: IMAGES }, (_, i): ImageRecord => ({
          digest: `sha256:${r.toString(16).padStart(8, "0")}${i.toString(16).padStart(56, "0")}`,
          tags: i % 3 === 0 ? [] : [`v1.${i}.0`, `build-${i}`],
          sizeBytes: 50_000_000 + i * 1000,
          pushedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
          lastPulledAt: changedEvery && i % changedEvery === 0 ? new Date(Date.UTC(2026, 10, 1)) : null,
          manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
          artifactMediaType: null,
          scanStatus: "COMPLETE",
          scanDescription: null,
          scanCompletedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000 + 60_000),
          severityCounts: { HIGH: i % 4, MEDIUM: i % 7 },
          layers: [{ digest: `sha256:${"a".repeat(64)}`, size: 30_000_000, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" }],
        })),
        findings: null,
      };
    }),
  };
}

const rows = REPOS * IMAGES;
const timed = async (label: string, runId: number, c: RegionCollection) => {
  const t = performance.now();
  const result = await writeRegionCollection(runId, accountId, region, c);
  const seconds = (performance.now() - t) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s, rows written ${result.rowsWritten}, unchanged ${result.unchanged}${result.rowsWritten > 1000 ? `, ${Math.round(result.rowsWritten / seconds).toLocaleString("en")} rows/s` : ""}`);
};
console.log(`${rows.toLocaleString("en")} image rows in ${REPOS} repositories; peak RSS so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
// Built before timing: the write is what is measured.
const firstCollection = collection(0);
await timed("first write", 1, firstCollection);
await timed("unchanged", 2, collection(0));
await timed("10% of images changed", 3, collection(10));
console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
await closePool();
await disconnectDb();
await database.drop();
