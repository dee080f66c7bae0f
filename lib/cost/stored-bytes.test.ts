import { describe, expect, it } from "vitest";
import { hasReadableLayers, storedBytes, type StoredBytesImage } from "./stored-bytes";

const OCI = "application/vnd.oci.image.manifest.v1+json";
const DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
const INDEX = "application/vnd.oci.image.index.v1+json";
const CONFIG = "application/vnd.oci.image.config.v1+json";
const SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";

const layer = (name: string, size: number) => ({ digest: `sha256:${name}`, size });
const base = layer("base", 30_000);
const deps = layer("deps", 20_000);

function image(layers: StoredBytesImage["layers"], overrides: Partial<StoredBytesImage> = {}): StoredBytesImage {
  const sizeBytes = (layers ?? []).reduce((n, l) => n + l.size, 0) + 500;
  return { sizeBytes, tags: ["v1"], manifestMediaType: OCI, artifactMediaType: CONFIG, layers, ...overrides };
}

describe("storedBytes", () => {
  it.each<[string, StoredBytesImage[], number, boolean]>([
    ["no images", [], 0, true],
    ["one image: its layers", [image([base, layer("app1", 1_000)])], 31_000, true],
    ["a base and dependency layer shared by three images count once", [image([base, deps, layer("app1", 1_000)]), image([base, deps, layer("app2", 2_000)]), image([base, deps, layer("app3", 3_000)])], 56_000, true],
    ["the same image pushed under two tags is one set of layers", [image([base, layer("app", 7)]), image([base, layer("app", 7)], { tags: ["latest"] })], 30_007, true],
    ["an image whose manifest was not read adds its compressed size and makes the total an upper bound", [image([base, layer("app1", 1_000)]), image(null, { sizeBytes: 40_000 })], 71_000, false],
    ["a Docker v2 manifest not read is inexact too", [image(null, { manifestMediaType: DOCKER, sizeBytes: 10 })], 10, false],
    ["an image with no manifest type recorded, not read, is inexact", [image(null, { manifestMediaType: null, sizeBytes: 10 })], 10, false],
    ["a cosign signature counts its own size and stays exact", [image([base]), image(null, { tags: [`sha256-${"a".repeat(64)}.sig`], artifactMediaType: SIGNATURE, sizeBytes: 1_400 })], 31_400, true],
    ["a multi-arch index counts its own size and stays exact", [image([base]), image(null, { manifestMediaType: INDEX, artifactMediaType: null, sizeBytes: 900 })], 30_900, true],
    ["a Helm chart (an artifact) counts its own size and stays exact", [image(null, { artifactMediaType: "application/vnd.cncf.helm.config.v1+json", sizeBytes: 5_000 })], 5_000, true],
    ["an empty layer list (nothing to share) counts the image's size", [image([], { sizeBytes: 321 })], 321, true],
  ])("%s", (_label, images, bytes, exact) => {
    expect(storedBytes(images)).toEqual({ bytes, exact });
  });

  it("is never more than the sum of the images' compressed sizes", () => {
    const images = Array.from({ length: 40 }, (_, i) => image(i % 7 === 0 ? null : [base, layer(`deps${i % 5}`, 10_000 + i), layer(`app${i}`, 100 * i)]));
    const sum = images.reduce((n, i) => n + i.sizeBytes, 0);
    const stored = storedBytes(images);
    expect(stored.bytes).toBeLessThanOrEqual(sum);
    expect(stored.exact).toBe(false);
  });
});

describe("hasReadableLayers", () => {
  it.each<[string, Pick<StoredBytesImage, "tags" | "manifestMediaType" | "artifactMediaType">, boolean]>([
    ["an OCI image manifest", { tags: ["v1"], manifestMediaType: OCI, artifactMediaType: CONFIG }, true],
    ["an unknown manifest type", { tags: [], manifestMediaType: null, artifactMediaType: null }, true],
    ["an image index", { tags: ["v1"], manifestMediaType: INDEX, artifactMediaType: null }, false],
    ["a signature", { tags: [`sha256-${"b".repeat(64)}.sig`], manifestMediaType: OCI, artifactMediaType: SIGNATURE }, false],
  ])("%s: %s", (_label, candidate, expected) => {
    expect(hasReadableLayers(candidate)).toBe(expected);
  });
});
