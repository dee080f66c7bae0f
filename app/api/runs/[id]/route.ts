import { withRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { getRunDetail, parseRunId } from "@/lib/db/runs";

/** A run's summary and targets, polled by the run page while the run is queued or running. */
export const GET = withRole(ANY_ROLE, async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const runId = parseRunId(id);
  if (runId === null) return Response.json({ error: "id must be a run number" }, { status: 400 });
  const detail = await getRunDetail(runId);
  if (!detail) return Response.json({ error: `There is no run #${runId}` }, { status: 404 });
  return Response.json(detail, { headers: { "Cache-Control": "no-store" } });
});
