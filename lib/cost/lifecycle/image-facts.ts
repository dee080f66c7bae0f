import type { ImageFacts } from "@/lib/compliance/types";
import { hasReadableLayers } from "../stored-bytes";
import type { LifecycleImage } from "./types";

/** A collected image as the lifecycle simulator reads it (the inventory holds standard storage only). */
export function toLifecycleImage(image: ImageFacts): LifecycleImage {
  return { digest: image.digest, tags: image.tags, sizeBytes: image.sizeBytes, pushedAt: image.pushedAt, lastPulledAt: image.lastPulledAt, layers: image.layers, layersReadable: hasReadableLayers(image) };
}
