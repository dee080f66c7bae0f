import { withRole } from "@/lib/auth/guard";
import { EVIDENCE_ROLES } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/db/audit";
import { verifyEvidenceFile } from "@/lib/db/evidence-exports";
import type { EvidenceManifest } from "@/lib/evidence/types";

/** Exports are a few MB; anything far bigger is not one of ours. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024;

const refuse = (error: string, status = 400) => Response.json({ ok: false, error }, { status });

/**
 * Verifies an uploaded export (and its manifest, when given): intact, signed by this
 * installation, and in the chain. It reads and records nothing but the audit entry.
 */
export const POST = withRole(EVIDENCE_ROLES, async (request, { user }) => {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_FILE_BYTES + MAX_MANIFEST_BYTES + 64 * 1024) return refuse(`The upload is ${Math.round(length / 1048576)} MB: an export is at most ${MAX_FILE_BYTES / 1048576} MB`, 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return refuse("Send the export as a multipart form with a field named file (and optionally manifest)");
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return refuse("file: choose the export file to verify");
  if (file.size > MAX_FILE_BYTES) return refuse(`file: it is ${Math.round(file.size / 1048576)} MB, more than an export can be`, 413);
  let manifest: EvidenceManifest | undefined;
  const manifestFile = form.get("manifest");
  if (manifestFile instanceof File && manifestFile.size > 0) {
    if (manifestFile.size > MAX_MANIFEST_BYTES) return refuse("manifest: it is too big to be a manifest");
    try {
      manifest = JSON.parse(await manifestFile.text()) as EvidenceManifest;
    } catch {
      return refuse("manifest: it is not JSON (choose the .manifest.json file downloaded with the export)");
    }
    if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) return refuse("manifest: it is not a manifest object");
  }
  const verdict = await verifyEvidenceFile(Buffer.from(await file.arrayBuffer()), manifest);
  await recordAuditEvent({ id: user.id, email: user.email }, { action: "evidence.verify", targetType: "evidence-export", targetId: verdict.exportId ?? null, details: { fileName: file.name.slice(0, 200), ok: verdict.ok } });
  return Response.json(verdict, { headers: { "Cache-Control": "private, no-store" } });
});
