import type { ImageRecord } from "@/lib/aws/types";

/**
 * Which image of a repository counts as "the latest" for the vulnerability and size checks:
 * the newest push that is a container image. Cosign signatures, attestations and SBOMs
 * (`sha256-<digest>.sig|.att|.sbom` tags), OCI artifacts whose config is not an image config,
 * and manifests that are neither image manifests nor image indexes are skipped: they are never
 * scanned, so taking one would report a spurious "no scan".
 */

export const IMAGE_MANIFEST_TYPES = ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"] as const;

const IMAGE_INDEX_TYPES = ["application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.oci.image.index.v1+json"];
const IMAGE_CONFIG_TYPES = ["application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json"];
const SIGNATURE_TAG = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom)|)$/;

export function isContainerImage(image: Pick<ImageRecord, "tags" | "artifactMediaType" | "manifestMediaType">): boolean {
  if (image.tags.some((t) => SIGNATURE_TAG.test(t))) return false;
  if (image.artifactMediaType && !IMAGE_CONFIG_TYPES.includes(image.artifactMediaType)) return false;
  if (image.manifestMediaType && ![...IMAGE_MANIFEST_TYPES, ...IMAGE_INDEX_TYPES].includes(image.manifestMediaType)) return false;
  return true;
}

/** The newest container image by push time, or null when the repository has none. */
export function latestScannableImage<T extends Pick<ImageRecord, "tags" | "artifactMediaType" | "manifestMediaType" | "pushedAt">>(images: readonly T[]): T | null {
  let latest: T | null = null;
  for (const image of images) {
    if (!isContainerImage(image)) continue;
    if (!latest || image.pushedAt.getTime() > latest.pushedAt.getTime()) latest = image;
  }
  return latest;
}
