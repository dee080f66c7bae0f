import { withRole } from "@/lib/auth/guard";
import { EVIDENCE_ROLES } from "@/lib/auth/roles";
import { getExport } from "@/lib/db/evidence-exports";

const ID = /^[a-z0-9]{20,40}$/;

/** An export's status and progress, polled by the Evidence page while a worker makes it. */
export const GET = withRole<{ params: Promise<{ id: string }> }>(EVIDENCE_ROLES, async (_request, { params }) => {
  const { id } = await params;
  if (!ID.test(id)) return Response.json({ error: "That is not an export id" }, { status: 404 });
  const found = await getExport(id);
  if (!found) return Response.json({ error: "That export does not exist" }, { status: 404 });
  return Response.json(
    { id: found.id, status: found.status, progress: found.progress, progressText: found.progressText, error: found.error },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});
