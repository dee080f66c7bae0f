import { BatchGetImageCommand, DescribeImagesCommand, type ECRClient, type ImageDetail } from "@aws-sdk/client-ecr";
import { callAws, type RegionContext, recordFailure, tryCall } from "./clients";
import { AwsCallError } from "./errors";
import { IMAGE_MANIFEST_TYPES, isContainerImage } from "@/lib/latest-image";
import type { ImageRecord, LayerRecord, RepositoryRecord } from "./types";

/** A repository's images (DescribeImages) and, optionally, their manifests' layers (BatchGetImage). */

/** BatchGetImage takes at most 100 image ids a call. */
export const MANIFEST_BATCH = 100;

export function toImageRecord(d: ImageDetail): ImageRecord | null {
  if (!d.imageDigest) return null;
  return {
    digest: d.imageDigest,
    tags: d.imageTags ?? [],
    sizeBytes: d.imageSizeInBytes ?? 0,
    pushedAt: d.imagePushedAt ?? new Date(0),
    lastPulledAt: d.lastRecordedPullTime ?? null,
    manifestMediaType: d.imageManifestMediaType ?? null,
    artifactMediaType: d.artifactMediaType ?? null,
    scanStatus: d.imageScanStatus?.status ?? null,
    scanDescription: d.imageScanStatus?.description ?? null,
    scanCompletedAt: d.imageScanFindingsSummary?.imageScanCompletedAt ?? null,
    severityCounts: d.imageScanFindingsSummary?.findingSeverityCounts ?? null,
    layers: null,
  };
}

/** Every image of the repository (all pages, 1000 a page); null when DescribeImages failed (recorded). */
export async function collectImages(ctx: RegionContext, ecr: ECRClient, repo: RepositoryRecord): Promise<ImageRecord[] | null> {
  const images = await tryCall(ctx, repo.errors, async () => {
    const out: ImageRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(ctx, "ecr", "DescribeImages", repo.arn, (o) =>
        ecr.send(new DescribeImagesCommand({ repositoryName: repo.name, registryId: repo.accountId, maxResults: 1000, nextToken }), o),
      );
      for (const detail of page.imageDetails ?? []) {
        const record = toImageRecord(detail);
        if (record) out.push(record);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  });
  return images ?? null;
}

/** Parses an image manifest's layers; null when it is not an image manifest we accept. */
export function parseLayers(manifest: string | undefined): LayerRecord[] | null {
  if (!manifest) return null;
  try {
    const parsed = JSON.parse(manifest) as { mediaType?: unknown; layers?: unknown };
    if (!Array.isArray(parsed.layers)) return null;
    return parsed.layers.map((l: { digest?: unknown; size?: unknown; mediaType?: unknown }) => ({
      digest: typeof l.digest === "string" ? l.digest : "",
      size: typeof l.size === "number" ? l.size : 0,
      mediaType: typeof l.mediaType === "string" ? l.mediaType : "",
    }));
  } catch {
    return null;
  }
}

/** Shared by a region's repositories: BatchGetImage is an optional permission, reported once. */
export interface ManifestAccess {
  denied: boolean;
}

/**
 * Reads the manifests (never the layers themselves: no GetDownloadUrlForLayer) of the
 * repository's container images and sets their `layers`. Manifest lists, signatures and other
 * artifacts keep `layers` null. AccessDenied is recorded once per region, not per repository.
 */
export async function collectManifests(ctx: RegionContext, ecr: ECRClient, repo: RepositoryRecord, images: ImageRecord[], access: ManifestAccess): Promise<void> {
  const wanted = images.filter((i) => isContainerImage(i) && (!i.manifestMediaType || (IMAGE_MANIFEST_TYPES as readonly string[]).includes(i.manifestMediaType)));
  const byDigest = new Map(wanted.map((i) => [i.digest, i]));
  for (let i = 0; i < wanted.length && !access.denied; i += MANIFEST_BATCH) {
    const imageIds = wanted.slice(i, i + MANIFEST_BATCH).map((image) => ({ imageDigest: image.digest }));
    try {
      const out = await callAws(ctx, "ecr", "BatchGetImage", repo.arn, (o) =>
        ecr.send(new BatchGetImageCommand({ repositoryName: repo.name, registryId: repo.accountId, imageIds, acceptedMediaTypes: [...IMAGE_MANIFEST_TYPES] }), o),
      );
      for (const found of out.images ?? []) {
        const image = found.imageId?.imageDigest ? byDigest.get(found.imageId.imageDigest) : undefined;
        if (!image) continue;
        const mediaType = found.imageManifestMediaType ?? image.manifestMediaType;
        if (mediaType && !(IMAGE_MANIFEST_TYPES as readonly string[]).includes(mediaType)) continue;
        image.layers = parseLayers(found.imageManifest);
      }
      // Per-image failures (not found since listed, unsupported type) leave that image's layers null.
    } catch (error) {
      if (!(error instanceof AwsCallError)) throw error;
      if (error.failure.kind === "access-denied") {
        if (!access.denied) {
          access.denied = true;
          const { resource: _repository, ...regionWide } = error.failure;
          ctx.failures.push(regionWide);
        }
        return;
      }
      recordFailure(ctx, repo.errors, error.failure);
      return;
    }
  }
}
