import type { ImageFacts } from "../types";

/**
 * Which image of a repository is "the latest" for latest-image-vulns and image-size: the newest
 * push that is a container image. Cosign signatures, attestations and SBOMs, and OCI artifacts
 * whose config is not an image config, are never scanned; taking one would report a spurious
 * "no scan". The rules are the collector's (lib/aws/latest-image.ts), kept identical so the
 * image a check judges is the one whose findings were collected.
 */

const IMAGE_MANIFEST_TYPES: readonly string[] = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  // A multi-arch index is an image: ECR scans and reports it as one.
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
];
const IMAGE_CONFIG_TYPES: readonly string[] = ["application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"];
// cosign's tag scheme: `sha256-<digest>.sig|.att|.sbom`, and the bare referrers tag `sha256-<digest>`.
const SIGNATURE_TAG = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/;

export function isScannableImage(image: Pick<ImageFacts, "tags" | "artifactMediaType" | "manifestMediaType">): boolean {
  for (const tag of image.tags) if (SIGNATURE_TAG.test(tag)) return false;
  // Covers cosign, in-toto, SPDX and CycloneDX artifacts, Helm charts and any other non-image.
  if (image.artifactMediaType && !IMAGE_CONFIG_TYPES.includes(image.artifactMediaType)) return false;
  if (image.manifestMediaType && !IMAGE_MANIFEST_TYPES.includes(image.manifestMediaType)) return false;
  return true;
}

/** The newest container image by push time (the first seen on a tie), or null when there is none. */
export function latestScannableImage<T extends Pick<ImageFacts, "tags" | "artifactMediaType" | "manifestMediaType" | "pushedAt">>(images: readonly T[]): T | null {
  let latest: T | null = null;
  for (const image of images) {
    if (latest && image.pushedAt.getTime() <= latest.pushedAt.getTime()) continue;
    if (isScannableImage(image)) latest = image;
  }
  return latest;
}
