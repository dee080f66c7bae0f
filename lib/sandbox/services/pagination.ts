import { AwsError } from "../errors";

/**
 * Opaque pagination tokens, as AWS's are: base64 of the next offset and a fingerprint of the
 * request, so a token from another listing (or a made-up one) is refused.
 */
export function encodeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64");
}

export function decodeToken(token: unknown, fingerprint: string, errorCode = "InvalidParameterException"): number {
  if (token === undefined || token === null || token === "") return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), "base64").toString("utf8")) as { o: unknown; f: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === fingerprint) return parsed.o;
  } catch {
    // fall through
  }
  throw new AwsError(errorCode, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
}

/** maxResults as AWS validates it: an integer in [1, max]; absent means the service default. */
export function pageSize(value: unknown, max: number, fallback: number, errorCode = "InvalidParameterException"): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new AwsError(errorCode, `1 validation error detected: Value '${String(value)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max} and greater than or equal to 1`);
  }
  return value;
}

export function page<T>(items: readonly T[], offset: number, size: number, fingerprint: string): { items: T[]; nextToken?: string } {
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken(offset + size, fingerprint) : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}
