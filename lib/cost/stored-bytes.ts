import { IMAGE_MANIFEST_TYPES, isContainerImage } from "@/lib/latest-image";

/**
 * The bytes ECR stores for one repository. ECR keeps each layer blob once per repository however
 * many images reference it, so summing the images' compressed sizes over-counts every shared base
 * and dependency layer. Pure: the collector's summary, the savings and the tests share it.
 */

export interface StoredBytesImage {
  /** ECR's compressed image size (imageSizeInBytes). */
  sizeBytes: number;
  tags: readonly string[];
  manifestMediaType: string | null;
  artifactMediaType: string | null;
  /** The manifest's layers when BatchGetImage read them; null when not read. */
  layers: readonly { digest: string; size: number }[] | null;
}

export interface StoredBytes {
  bytes: number;
  /**
   * True when every single-platform container image had its layers read, so shared layers were
   * counted once; false makes `bytes` an upper bound (those images count their whole size).
   */
  exact: boolean;
}

const MANIFEST_TYPES: readonly string[] = IMAGE_MANIFEST_TYPES;

/**
 * Whether an image is one the collector reads layers for (lib/aws/collect-images.ts
 * collectManifests asks for exactly these): a container image with an image manifest, or with no
 * media type recorded. Manifest lists, signatures and other artifacts have no layers to read.
 */
export function hasReadableLayers(image: Pick<StoredBytesImage, "tags" | "manifestMediaType" | "artifactMediaType">): boolean {
  return isContainerImage({ tags: [...image.tags], manifestMediaType: image.manifestMediaType, artifactMediaType: image.artifactMediaType }) && (image.manifestMediaType === null || MANIFEST_TYPES.includes(image.manifestMediaType));
}

/**
 * Each distinct layer digest once, across the images whose layers are known; every other image
 * adds its own compressed size (an index, a signature, or an image whose manifest was not read).
 */
export function storedBytes(images: Iterable<StoredBytesImage>): StoredBytes {
  const seen = new Set<string>();
  let bytes = 0;
  let exact = true;
  for (const image of images) {
    // An empty layer list is what an index or artifact manifest parses to: nothing to share, count the image itself.
    if (image.layers && image.layers.length > 0) {
      for (const layer of image.layers) {
        if (seen.has(layer.digest)) continue;
        seen.add(layer.digest);
        bytes += layer.size;
      }
      continue;
    }
    bytes += image.sizeBytes;
    if (image.layers === null && hasReadableLayers(image)) exact = false;
  }
  return { bytes, exact };
}
