import { describe, expect, it } from "vitest";
import { isContainerImage as isScannableImage, latestScannableImage } from "@/lib/latest-image";
import { COSIGN_SIGNATURE, daysAgo, OCI_CONFIG, OCI_MANIFEST } from "./testing";

const image = (digest: string, pushedDaysAgo: number, extra: Partial<{ tags: string[]; artifactMediaType: string | null; manifestMediaType: string | null }> = {}) => ({
  digest,
  tags: [] as string[],
  artifactMediaType: OCI_CONFIG as string | null,
  manifestMediaType: OCI_MANIFEST as string | null,
  pushedAt: daysAgo(pushedDaysAgo),
  ...extra,
});

const HEX = "a".repeat(64);

describe("isScannableImage", () => {
  it.each([
    ["an OCI image", image("a", 0), true],
    ["an OCI image with no artifact type", image("a", 0, { artifactMediaType: null }), true],
    ["a Docker v2 image", image("a", 0, { artifactMediaType: "application/vnd.docker.container.image.v1+json", manifestMediaType: "application/vnd.docker.distribution.manifest.v2+json" }), true],
    ["an OCI image index", image("a", 0, { artifactMediaType: null, manifestMediaType: "application/vnd.oci.image.index.v1+json" }), true],
    ["a Docker manifest list", image("a", 0, { artifactMediaType: null, manifestMediaType: "application/vnd.docker.distribution.manifest.list.v2+json" }), true],
    ["an image with no media types recorded", image("a", 0, { artifactMediaType: null, manifestMediaType: null }), true],
    ["a signature by tag", image("a", 0, { tags: [`sha256-${HEX}.sig`] }), false],
    ["an attestation by tag", image("a", 0, { tags: [`sha256-${HEX}.att`] }), false],
    ["an SBOM by tag", image("a", 0, { tags: [`sha256-${HEX}.sbom`] }), false],
    ["a referrers index by tag", image("a", 0, { tags: [`sha256-${HEX}`] }), false],
    ["a cosign signature by artifact type", image("a", 0, { artifactMediaType: COSIGN_SIGNATURE }), false],
    ["an in-toto attestation", image("a", 0, { artifactMediaType: "application/vnd.in-toto+json" }), false],
    ["an SPDX SBOM", image("a", 0, { artifactMediaType: "application/spdx+json" }), false],
    ["a CycloneDX SBOM", image("a", 0, { artifactMediaType: "application/vnd.cyclonedx+json" }), false],
    ["a Helm chart", image("a", 0, { artifactMediaType: "application/vnd.cncf.helm.config.v1+json" }), false],
    ["an unknown manifest type", image("a", 0, { manifestMediaType: "application/vnd.example.thing+json" }), false],
    ["an image tagged like a signature but not one", image("a", 0, { tags: ["sha256-short.sig"] }), true],
  ])("%s: %s", (_label, candidate, expected) => {
    expect(isScannableImage(candidate)).toBe(expected);
  });
});

describe("latestScannableImage", () => {
  it("takes the newest image, skipping a newer signature and an older image", () => {
    const images = [
      image("old", 9),
      image("sig", 0, { tags: [`sha256-${HEX}.sig`], artifactMediaType: COSIGN_SIGNATURE }),
      image("new", 1, { tags: ["latest"] }),
      image("sbom", 0.5, { artifactMediaType: "application/spdx+json" }),
    ];
    expect(latestScannableImage(images)?.digest).toBe("new");
  });

  it("keeps the first of two images pushed at the same moment", () => {
    expect(latestScannableImage([image("first", 1), image("second", 1)])?.digest).toBe("first");
  });

  it("is null for no image, or only artifacts", () => {
    expect(latestScannableImage([])).toBeNull();
    expect(latestScannableImage([image("sig", 0, { tags: [`sha256-${HEX}.sig`] }), image("chart", 0, { artifactMediaType: "application/vnd.cncf.helm.config.v1+json" })])).toBeNull();
  });
});
