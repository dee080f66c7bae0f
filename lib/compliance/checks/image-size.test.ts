import { describe, expect, it } from "vitest";
import type { ImageFacts, RepositoryFacts } from "../types";
import { imageSize } from "./image-size";
import { checkContext, COSIGN_SIGNATURE, daysAgo, digestOf, GIB, imageFacts, layerFacts, NOW, readError, registryFacts as registry, repositoryFacts as repo } from "./testing";

const ctx = checkContext();
const layers = (count: number, size = 1_000_000) => Array.from({ length: count }, (_, i) => layerFacts(i, size));

const image = (overrides: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({
    tags: ["2.0.0"],
    sizeBytes: 300_000_000,
    layers: [layerFacts(1, 29_000_000), layerFacts(2, 200_000_000), layerFacts(3, 70_000_000), layerFacts(4, 1_000)],
    ...overrides,
  });
// An older, bigger image and a newer signature: neither is "the latest image".
const older = image({ digest: digestOf(0), tags: ["1.0.0"], sizeBytes: 5 * GIB, pushedAt: daysAgo(30) });
const signature = image({ digest: digestOf(5), tags: [`sha256-${"1".repeat(64)}.sig`], sizeBytes: 1_400, pushedAt: NOW, artifactMediaType: COSIGN_SIGNATURE, layers: layers(60, 10) });
const withLatest = (overrides: Partial<ImageFacts>, readErrors = {}) => repo({ images: [older, image(overrides), signature], readErrors });

describe("image-size", () => {
  it.each<[string, RepositoryFacts, string, string]>([
    ["PASS: small with few layers", withLatest({}), "PASS", "2.0.0 is 0.28 GiB (300000000 bytes) in 4 layers, within 1.00 GiB and 50 layers"],
    ["PASS: exactly at both limits", withLatest({ sizeBytes: GIB, layers: layers(50) }), "PASS", "1.00 GiB (1073741824 bytes) in 50 layers"],
    ["PASS: size only when the manifest was not read", withLatest({ layers: null }), "PASS", "its manifest was not read"],
    ["FAIL: above the size limit", withLatest({ sizeBytes: 1_717_988_918, layers: [layerFacts(1, 1_717_986_918)] }), "FAIL", "2.0.0 is 1.60 GiB (1717988918 bytes), above 1.00 GiB; its largest layer is 1.60 GiB"],
    ["FAIL: too many layers", withLatest({ layers: layers(51) }), "FAIL", "has 51 layers, above 50"],
    ["FAIL: both", withLatest({ sizeBytes: 2 * GIB, layers: layers(80) }), "FAIL", "is 2.00 GiB (2147483648 bytes), above 1.00 GiB and has 80 layers, above 50; its largest layer is 0.00 GiB; each copy kept costs about $0.20/month to store"],
    ["FAIL: too big even though the manifest was unreadable", withLatest({ sizeBytes: 2 * GIB, layers: null }, { BatchGetImage: readError("BatchGetImage") }), "FAIL", "above 1.00 GiB"],
    ["ERROR: size fine but the manifest unreadable", withLatest({ layers: null }, { BatchGetImage: readError("BatchGetImage") }), "ERROR", "ecr:BatchGetImage failed with AccessDeniedException"],
    ["ERROR: DescribeImages failed", repo({ readErrors: { DescribeImages: readError("DescribeImages") } }), "ERROR", "ecr:DescribeImages failed"],
    ["NOT_APPLICABLE: no images", repo(), "NOT_APPLICABLE", "no images"],
    ["NOT_APPLICABLE: only a signature", repo({ images: [signature] }), "NOT_APPLICABLE", "1 artifacts are signatures"],
  ])("%s", (_label, repository, status, reason) => {
    const result = imageSize.evaluate(repository, registry(), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("gives the size, the layer count and the three largest layers as evidence", () => {
    expect(imageSize.evaluate(withLatest({}), registry(), ctx).evidence).toMatchObject({
      digest: digestOf(1),
      sizeBytes: 300_000_000,
      layerCount: 4,
      largestLayers: [
        { digest: layerFacts(2, 0).digest, size: 200_000_000 },
        { digest: layerFacts(3, 0).digest, size: 70_000_000 },
        { digest: layerFacts(1, 0).digest, size: 29_000_000 },
      ],
    });
  });
});
