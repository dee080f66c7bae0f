import type { ECRClient } from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { emptyStats, type RegionContext } from "./clients";
import { collectManifests, type ManifestAccess, parseLayers, toImageRecord } from "./collect-images";
import { createRateLimiter } from "./rate-limit";
import type { RepositoryRecord } from "./types";

const ctx = (): RegionContext => ({
  accountId: "111122223333",
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIAEXAMPLE0000000000", secretAccessKey: "not-used" },
  limiter: createRateLimiter(),
  stats: emptyStats(),
  failures: [],
  concurrency: 2,
});

const repo = (name: string): RepositoryRecord => ({
  arn: `arn:aws:ecr:eu-west-1:111122223333:repository/${name}`,
  accountId: "111122223333",
  region: "eu-west-1",
  name,
  uri: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${name}`,
  createdAt: new Date(0),
  imageTagMutability: "IMMUTABLE",
  tagMutabilityExclusions: null,
  scanOnPush: false,
  encryptionType: "AES256",
  kmsKey: null,
  scanFrequency: null,
  appliedScanFilters: null,
  lifecyclePolicy: null,
  repositoryPolicy: null,
  tags: null,
  errors: {},
});

const image = (digest: string) =>
  toImageRecord({ imageDigest: digest, imageTags: ["1.0"], imagePushedAt: new Date(0), imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json" })!;

/** An ECR client whose BatchGetImage is denied (an optional permission the role may lack). */
function deniedEcr() {
  let calls = 0;
  const client = {
    send: async () => {
      calls += 1;
      throw Object.assign(new Error("User is not authorized to perform: ecr:BatchGetImage"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } });
    },
  };
  return { client: client as unknown as ECRClient, calls: () => calls };
}

describe("collectManifests", () => {
  it("records AccessDenied on BatchGetImage once per region, not per repository, and leaves layers null", async () => {
    const region = ctx();
    const ecr = deniedEcr();
    const access: ManifestAccess = { denied: false };
    const repos = [repo("a"), repo("b"), repo("c")];
    const images = repos.map((_, i) => [image(`sha256:${i}`)]);
    for (const [i, r] of repos.entries()) await collectManifests(region, ecr.client, r, images[i], access);
    expect(access.denied).toBe(true);
    expect(ecr.calls()).toBe(1);
    expect(region.failures).toEqual([
      expect.objectContaining({ accountId: "111122223333", region: "eu-west-1", service: "ecr", operation: "BatchGetImage", errorName: "AccessDeniedException", kind: "access-denied" }),
    ]);
    expect(region.failures[0].resource).toBeUndefined();
    expect(repos.every((r) => Object.keys(r.errors).length === 0)).toBe(true);
    expect(images.flat().every((i) => i.layers === null)).toBe(true);
  });
});

describe("parseLayers", () => {
  it("reads an image manifest's layers, and nothing from what is not one", () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.docker.distribution.manifest.v2+json",
      config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1, digest: "sha256:c" },
      layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 123, digest: "sha256:l1" }],
    });
    expect(parseLayers(manifest)).toEqual([{ digest: "sha256:l1", size: 123, mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip" }]);
    expect(parseLayers(JSON.stringify({ schemaVersion: 2, manifests: [] }))).toBeNull();
    expect(parseLayers("not json")).toBeNull();
    expect(parseLayers(undefined)).toBeNull();
  });
});
