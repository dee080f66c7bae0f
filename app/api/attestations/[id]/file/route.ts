import { withRole } from "@/lib/auth/guard";
import { getAttestationFile } from "@/lib/db/attestations";
import { recordAuditEvent } from "@/lib/db/audit";
import { downloadHeaders } from "@/lib/http/download";

/** Attestation ids are cuid-like: lowercase letters and digits (lib/actions/compliance.schema.ts idSchema). */
const ID = /^[a-z0-9]{20,40}$/;

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
  return new Response(new Uint8Array(file.data), { status: 200, headers: downloadHeaders({ name: file.name, type: file.type, bytes: file.data.length, fallbackName: "attestation-file" }) });
});
