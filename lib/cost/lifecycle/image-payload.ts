import type { LifecycleImage } from "./types";

/**
 * A repository's images in the shape a page sends to the browser's what-if editor: dates as epoch
 * milliseconds and layers as indexes into one table of distinct layers, because the same base
 * layers recur in most images of a repository and would otherwise be sent once per image.
 */
export interface ImagePayload {
  layerDigests: string[];
  layerSizes: number[];
  images: {
    digest: string;
    tags: string[];
    sizeBytes: number;
    pushedAt: number;
    lastPulledAt: number | null;
    storageClass?: "STANDARD" | "ARCHIVE";
    transitionedAt?: number | null;
    /** Indexes into layerDigests / layerSizes; null when the manifest was not read. */
    layers: number[] | null;
    /** Only when false (see LifecycleImage.layersReadable). */
    layersReadable?: false;
  }[];
}

export function toImagePayload(images: readonly LifecycleImage[]): ImagePayload {
  const index = new Map<string, number>();
  const layerDigests: string[] = [];
  const layerSizes: number[] = [];
  return {
    layerDigests,
    layerSizes,
    images: images.map((image) => ({
      digest: image.digest,
      tags: image.tags,
      sizeBytes: image.sizeBytes,
      pushedAt: image.pushedAt.getTime(),
      lastPulledAt: image.lastPulledAt?.getTime() ?? null,
      ...(image.storageClass ? { storageClass: image.storageClass } : {}),
      ...(image.transitionedAt !== undefined ? { transitionedAt: image.transitionedAt?.getTime() ?? null } : {}),
      layers:
        image.layers?.map((layer) => {
          let at = index.get(layer.digest);
          if (at === undefined) {
            at = layerDigests.length;
            index.set(layer.digest, at);
            layerDigests.push(layer.digest);
            layerSizes.push(layer.size);
          }
          return at;
        }) ?? null,
      ...(image.layersReadable === false ? { layersReadable: false as const } : {}),
    })),
  };
}

export function fromImagePayload(payload: ImagePayload): LifecycleImage[] {
  const layers = payload.layerDigests.map((digest, i) => ({ digest, size: payload.layerSizes[i] }));
  return payload.images.map((image) => ({
    digest: image.digest,
    tags: image.tags,
    sizeBytes: image.sizeBytes,
    pushedAt: new Date(image.pushedAt),
    lastPulledAt: image.lastPulledAt === null ? null : new Date(image.lastPulledAt),
    ...(image.storageClass ? { storageClass: image.storageClass } : {}),
    ...(image.transitionedAt !== undefined ? { transitionedAt: image.transitionedAt === null ? null : new Date(image.transitionedAt) } : {}),
    layers: image.layers?.map((i) => layers[i]) ?? null,
    ...(image.layersReadable === false ? { layersReadable: false } : {}),
  }));
}
