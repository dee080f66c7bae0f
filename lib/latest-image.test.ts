import { describe, expect, it } from "vitest";
import { isContainerImage, latestScannableImage } from "./latest-image";

const OCI = "application/vnd.oci.image.manifest.v1+json";
const image = (digest: string, pushedDaysAgo: number, extra: Partial<{ tags: string[]; artifactMediaType: string | null; manifestMediaType: string | null }> = {}) => ({
  digest,
  tags: [] as string[],
  artifactMediaType: "application/vnd.oci.image.config.v1+json" as string | null,
  manifestMediaType: OCI as string | null,
  pushedAt: new Date(Date.UTC(2026, 10, 1) - pushedDaysAgo * 86_400_000),
  ...extra,
});

describe("isContainerImage", () => {
  it.each([
    ["an OCI image", image("a", 0), true],
    ["a Docker v2 image without an artifact type", image("a", 0, { artifactMediaType: null, manifestMediaType: "application/vnd.docker.distribution.manifest.v2+json" }), true],
    ["a multi-arch index", image("a", 0, { artifactMediaType: null, manifestMediaType: "application/vnd.oci.image.index.v1+json" }), true],
    ["a cosign signature by tag", image("a", 0, { tags: [`sha256-${"a".repeat(64)}.sig`], artifactMediaType: null }), false],
    ["an attestation by tag", image("a", 0, { tags: [`sha256-${"b".repeat(64)}.att`] }), false],
    ["a signature by artifact type", image("a", 0, { artifactMediaType: "application/vnd.dev.cosign.artifact.sig.v1+json" }), false],
    ["a Helm chart", image("a", 0, { artifactMediaType: "application/vnd.cncf.helm.config.v1+json" }), false],
    ["an unknown manifest type", image("a", 0, { manifestMediaType: "application/vnd.example.thing+json" }), false],
  ])("%s: %s", (_label, candidate, expected) => {
    expect(isContainerImage(candidate)).toBe(expected);
  });
});

describe("latestScannableImage", () => {
  it("takes the newest push that is an image, skipping a newer signature", () => {
    const images = [
      image("old", 9),
      image("sig", 0, { tags: [`sha256-${"c".repeat(64)}.sig`], artifactMediaType: "application/vnd.dev.cosign.artifact.sig.v1+json" }),
      image("new", 1, { tags: ["latest"] }),
    ];
    expect(latestScannableImage(images)?.digest).toBe("new");
  });

  it("is null for a repository with no image, or only artifacts", () => {
    expect(latestScannableImage([])).toBeNull();
    expect(latestScannableImage([image("chart", 0, { artifactMediaType: "application/vnd.cncf.helm.config.v1+json" })])).toBeNull();
  });
});
