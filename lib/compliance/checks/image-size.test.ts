import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type ReadError, type RegistryFacts, type RepositoryFacts, type ImageFacts, type LayerFacts } from "../types";
import { imageSize } from "./image-size";

const repo = (overrides: Partial<RepositoryFacts> = {}): RepositoryFacts => ({
  arn: "arn:aws:ecr:us-east-1:111122223333:repository/team/orders-api",
  accountId: "111122223333",
  region: "us-east-1",
  name: "team/orders-api",
  createdAt: new Date("2025-01-01T00:00:00Z"),
  imageTagMutability: "IMMUTABLE",
  tagMutabilityExclusions: null,
  scanOnPush: false,
  scanFrequency: null,
  appliedScanFilters: null,
  encryptionType: "KMS",
  kmsKey: null,
  key: null,
  lifecyclePolicy: null,
  repositoryPolicy: null,
  tags: [],
  readErrors: {},
  images: [],
  ...overrides,
});

const registry = (overrides: Partial<RegistryFacts> = {}): RegistryFacts => ({
  accountId: "111122223333",
  region: "us-east-1",
  scanType: "BASIC",
  scanRules: [],
  registryPolicy: null,
  replicationRules: [],
  trails: [],
  guardDutyDetectors: [],
  vpcs: [],
  vpcEndpoints: [],
  inspectorCoverage: null,
  readErrors: {},
  storedBytes: 0,
  ...overrides,
});

const NOW = new Date("2026-11-01T00:00:00Z");
const GIB = 1024 ** 3;
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };
const denied = (operation: string): ReadError => ({ service: "ecr", operation, errorName: "AccessDeniedException", message: `not authorized to perform ecr:${operation}` });
const layer = (n: number, size: number): LayerFacts => ({ digest: `sha256:${String(n).padStart(64, "0")}`, size, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" });
const layers = (count: number, size = 1_000_000) => Array.from({ length: count }, (_, i) => layer(i, size));

const image = (overrides: Partial<ImageFacts> = {}): ImageFacts => ({
  digest: `sha256:${"1".repeat(64)}`,
  tags: ["2.0.0"],
  sizeBytes: 300_000_000,
  pushedAt: new Date(NOW.getTime() - 86_400_000),
  lastPulledAt: null,
  manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
  artifactMediaType: "application/vnd.oci.image.config.v1+json",
  scanStatus: null,
  scanDescription: null,
  scanCompletedAt: null,
  severityCounts: null,
  layers: [layer(1, 29_000_000), layer(2, 200_000_000), layer(3, 70_000_000), layer(4, 1_000)],
  ...overrides,
});
// An older, bigger image and a newer signature: neither is "the latest image".
const older = image({ digest: `sha256:${"0".repeat(64)}`, tags: ["1.0.0"], sizeBytes: 5 * GIB, pushedAt: new Date(NOW.getTime() - 30 * 86_400_000) });
const signature = image({ digest: `sha256:${"5".repeat(64)}`, tags: [`sha256-${"1".repeat(64)}.sig`], sizeBytes: 1_400, pushedAt: NOW, artifactMediaType: "application/vnd.dev.cosign.artifact.sig.v1+json", layers: layers(60, 10) });
const withLatest = (overrides: Partial<ImageFacts>, readErrors = {}) => repo({ images: [older, image(overrides), signature], readErrors });

describe("image-size", () => {
  it.each<[string, RepositoryFacts, string, string]>([
    ["PASS: small with few layers", withLatest({}), "PASS", "2.0.0 is 0.28 GiB (300000000 bytes) in 4 layers, within 1.00 GiB and 50 layers"],
    ["PASS: exactly at both limits", withLatest({ sizeBytes: GIB, layers: layers(50) }), "PASS", "1.00 GiB (1073741824 bytes) in 50 layers"],
    ["PASS: size only when the manifest was not read", withLatest({ layers: null }), "PASS", "its manifest was not read"],
    ["FAIL: above the size limit", withLatest({ sizeBytes: 1_717_988_918, layers: [layer(1, 1_717_986_918)] }), "FAIL", "2.0.0 is 1.60 GiB (1717988918 bytes), above 1.00 GiB; its largest layer is 1.60 GiB"],
    ["FAIL: too many layers", withLatest({ layers: layers(51) }), "FAIL", "has 51 layers, above 50"],
    ["FAIL: both", withLatest({ sizeBytes: 2 * GIB, layers: layers(80) }), "FAIL", "is 2.00 GiB (2147483648 bytes), above 1.00 GiB and has 80 layers, above 50"],
    ["FAIL: too big even though the manifest was unreadable", withLatest({ sizeBytes: 2 * GIB, layers: null }, { BatchGetImage: denied("BatchGetImage") }), "FAIL", "above 1.00 GiB"],
    ["ERROR: size fine but the manifest unreadable", withLatest({ layers: null }, { BatchGetImage: denied("BatchGetImage") }), "ERROR", "ecr:BatchGetImage failed with AccessDeniedException"],
    ["ERROR: DescribeImages failed", repo({ readErrors: { DescribeImages: denied("DescribeImages") } }), "ERROR", "ecr:DescribeImages failed"],
    ["NOT_APPLICABLE: no images", repo(), "NOT_APPLICABLE", "no images"],
    ["NOT_APPLICABLE: only a signature", repo({ images: [signature] }), "NOT_APPLICABLE", "1 artifacts are signatures"],
  ])("%s", (_label, repository, status, reason) => {
    const result = imageSize.evaluate(repository, registry(), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("gives the size, the layer count and the three largest layers as evidence", () => {
    expect(imageSize.evaluate(withLatest({}), registry(), ctx).evidence).toMatchObject({
      digest: `sha256:${"1".repeat(64)}`,
      sizeBytes: 300_000_000,
      layerCount: 4,
      largestLayers: [
        { digest: layer(2, 0).digest, size: 200_000_000 },
        { digest: layer(3, 0).digest, size: 70_000_000 },
        { digest: layer(1, 0).digest, size: 29_000_000 },
      ],
    });
  });
});
