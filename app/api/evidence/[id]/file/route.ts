import { withRole } from "@/lib/auth/guard";
import { EVIDENCE_ROLES } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/db/audit";
import { getExport, getExportFile } from "@/lib/db/evidence-exports";
import { downloadHeaders } from "@/lib/http/download";

const ID = /^[a-z0-9]{20,40}$/;
const TYPES: Record<string, string> = { pdf: "application/pdf", csv: "text/csv; charset=utf-8", json: "application/json", oscal: "application/json" };

/**
 * A finished export's file, or (`?part=manifest`) its signed manifest, as a download. The role is
 * checked here, and every download is in the audit log.
 */
export const GET = withRole<{ params: Promise<{ id: string }> }>(EVIDENCE_ROLES, async (request, { params, user }) => {
  const { id } = await params;
  if (!ID.test(id)) return Response.json({ error: "That is not an export id" }, { status: 404 });
  const part = new URL(request.url).searchParams.get("part") ?? "file";
  if (part !== "file" && part !== "manifest") return Response.json({ error: `part must be file or manifest, not "${part.slice(0, 20)}"` }, { status: 400 });
  const found = await getExport(id);
  if (!found || found.status !== "done") return Response.json({ error: "That export does not exist or is not finished" }, { status: 404 });
  const actor = { id: user.id, email: user.email };
  if (part === "manifest") {
    const body = Buffer.from(`${JSON.stringify(found.manifest, null, 2)}\n`, "utf8");
    await recordAuditEvent(actor, { action: "evidence.download", targetType: "evidence-export", targetId: id, details: { part, fileName: `${found.fileName}.manifest.json` } });
    return new Response(new Uint8Array(body), { status: 200, headers: downloadHeaders({ name: `${found.fileName}.manifest.json`, type: "application/json", bytes: body.length }) });
  }
  const file = await getExportFile(id);
  if (!file) return Response.json({ error: "That export has no file" }, { status: 404 });
  await recordAuditEvent(actor, { action: "evidence.download", targetType: "evidence-export", targetId: id, details: { part, fileName: found.fileName, sha256: found.fileSha256 } });
  return new Response(new Uint8Array(file.data), { status: 200, headers: downloadHeaders({ name: file.fileName, type: TYPES[file.format] ?? "application/octet-stream", bytes: file.data.length }) });
});
