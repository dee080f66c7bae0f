import { withRole } from "@/lib/auth/guard";
import { getAttestationFile } from "@/lib/db/attestations";
import { recordAuditEvent } from "@/lib/db/audit";

/** Attestation ids are cuid-like: lowercase letters and digits (lib/actions/compliance.schema.ts idSchema). */
const ID = /^[a-z0-9]{20,40}$/;

/** An ASCII filename safe in a quoted header value: no quotes, slashes, control or non-ASCII characters. */
function asciiFilename(name: string): string {
  const safe = name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._ -]+/g, "_")
    .replace(/^[.\s]+/, "")
    .slice(0, 150)
    .trim();
  return safe || "attestation-file";
}

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves but attr-char forbids. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * An attestation's attached file, as a download. The role is checked here (routes are public
 * endpoints otherwise); every download is in the audit log, like the evidence exports.
 */
export const GET = withRole<{ params: Promise<{ id: string }> }>(["admin", "security", "auditor"], async (_request, { params, user }) => {
  const { id } = await params;
  if (!ID.test(id)) return Response.json({ error: "That is not an attestation id" }, { status: 404 });
  const file = await getAttestationFile(id);
  if (!file) return Response.json({ error: "That attestation does not exist or has no file" }, { status: 404 });
  await recordAuditEvent(
    { id: user.id, email: user.email },
    { action: "attestation.download", targetType: "attestation", targetId: id, details: { fileName: file.name, bytes: file.data.length } },
  );
  const fallback = asciiFilename(file.name);
  return new Response(new Uint8Array(file.data), {
    status: 200,
    headers: {
      // A stored media type is only a label: attachment + nosniff + a sandboxing CSP keep any file from rendering in our origin.
      "Content-Type": file.type || "application/octet-stream",
      "Content-Length": String(file.data.length),
      "Content-Disposition": `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987(file.name)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
});
