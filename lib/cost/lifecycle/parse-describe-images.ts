import { hasReadableLayers } from "@/lib/cost/stored-bytes";
import type { LifecycleImage, PolicyError } from "./types";

/**
 * ECR's DescribeImages output (the whole response, or its `imageDetails` array) as the
 * simulator's images. Timestamps may be ISO 8601 strings (the AWS CLI's output) or epoch seconds,
 * possibly fractional (the wire format). Every bad entry is named, e.g.
 * "imageDetails[3].imagePushedAt".
 */

export type ParsedImages = { ok: true; images: LifecycleImage[] } | { ok: false; errors: PolicyError[] };

const IMAGE_STATUSES = ["ACTIVE", "ARCHIVED", "ACTIVATING"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const show = (value: unknown) => (typeof value === "string" ? JSON.stringify(value.slice(0, 60)) : Array.isArray(value) ? "an array" : value === null ? "null" : typeof value === "object" ? "an object" : String(value));

/** An ISO 8601 date or epoch seconds; a string reason when it is neither. */
export function parseAwsTimestamp(value: unknown): Date | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) return `is not a date (epoch seconds must be a number of at least 0, not ${value})`;
    return new Date(Math.round(value * 1000));
  }
  if (typeof value === "string" && ISO_DATE.test(value.trim())) {
    const ms = Date.parse(value.trim());
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return `is not a date (an ISO 8601 string or epoch seconds), it is ${show(value)}`;
}

export function parseDescribeImages(document: unknown): ParsedImages {
  const list = Array.isArray(document) ? document : isObject(document) ? document.imageDetails : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, errors: [{ path: "", message: "must be DescribeImages' output: an object with an imageDetails array, or the array itself" }] };
  }
  const errors: PolicyError[] = [];
  const images: LifecycleImage[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const path = `imageDetails[${index}]`;
    const fail = (field: string, message: string) => errors.push({ path: field ? `${path}.${field}` : path, message });
    if (!isObject(entry)) return fail("", `must be an object (an ImageDetail), not ${show(entry)}`);
    const before = errors.length;

    const digest = entry.imageDigest;
    if (typeof digest !== "string" || !/^[a-z0-9]+:[a-f0-9]{32,}$/i.test(digest)) fail("imageDigest", `must be an image digest such as sha256:<hex>, not ${digest === undefined ? "missing" : show(digest)}`);
    else if (seen.has(digest)) fail("imageDigest", `repeats imageDetails[${seen.get(digest)}]'s digest ${digest}`);
    else seen.set(digest, index);

    const tags = entry.imageTags ?? [];
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) fail("imageTags", `must be an array of strings, not ${show(tags)}`);

    const size = entry.imageSizeInBytes ?? 0;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) fail("imageSizeInBytes", `must be a whole number of bytes, not ${show(size)}`);

    const date = (field: string, required: boolean): Date | null => {
      if (entry[field] === undefined || (!required && entry[field] === null)) {
        if (required) fail(field, "is required (when the image was pushed)");
        return null;
      }
      const parsed = parseAwsTimestamp(entry[field]);
      if (typeof parsed === "string") {
        fail(field, parsed);
        return null;
      }
      return parsed;
    };
    const pushedAt = date("imagePushedAt", true);
    const lastPulledAt = date("lastRecordedPullTime", false);
    const lastArchivedAt = date("lastArchivedAt", false);
    const lastActivatedAt = date("lastActivatedAt", false);

    const status = entry.imageStatus ?? "ACTIVE";
    if (typeof status !== "string" || !IMAGE_STATUSES.includes(status)) fail("imageStatus", `must be one of ${IMAGE_STATUSES.join(", ")}, not ${show(status)}`);
    for (const field of ["imageManifestMediaType", "artifactMediaType"]) {
      if (entry[field] !== undefined && typeof entry[field] !== "string") fail(field, `must be a media type string, not ${show(entry[field])}`);
    }
    if (errors.length > before) return;

    // An image being restored (ACTIVATING) is on its way to, and billed as, standard storage.
    const archived = status === "ARCHIVED";
    images.push({
      digest: digest as string,
      tags: tags as string[],
      sizeBytes: size as number,
      pushedAt: pushedAt!,
      lastPulledAt,
      storageClass: archived ? "ARCHIVE" : "STANDARD",
      transitionedAt: archived ? lastArchivedAt : lastActivatedAt,
      // DescribeImages carries no layers: freed bytes are then an upper bound.
      layers: null,
      layersReadable: hasReadableLayers({
        tags: tags as string[],
        manifestMediaType: (entry.imageManifestMediaType as string | undefined) ?? null,
        artifactMediaType: (entry.artifactMediaType as string | undefined) ?? null,
      }),
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, images };
}
