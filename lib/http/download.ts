/**
 * Headers for a file sent as a download: attachment with a safe ASCII name and the UTF-8 one
 * (RFC 6266 / 5987), nosniff and a sandboxing CSP so no stored file can render in our origin.
 */

/** An ASCII filename safe in a quoted header value: no quotes, slashes, control or non-ASCII characters. */
export function asciiFilename(name: string, fallback = "download"): string {
  const safe = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._ -]+/g, "_")
    .replace(/^[.\s]+/, "")
    .slice(0, 150)
    .trim();
  return safe || fallback;
}

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but attr-char forbids. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function downloadHeaders({ name, type, bytes, fallbackName }: { name: string; type: string; bytes: number; fallbackName?: string }): Record<string, string> {
  return {
    // A media type is only a label here: attachment + nosniff + the CSP keep the file from rendering.
    "Content-Type": type || "application/octet-stream",
    "Content-Length": String(bytes),
    "Content-Disposition": `attachment; filename="${asciiFilename(name, fallbackName)}"; filename*=UTF-8''${rfc5987(name)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  };
}
