import { AUDIT_LOG_READERS } from "@/lib/audit-roles";
import { withRole } from "@/lib/auth/guard";
import { queryProblem } from "@/lib/url-params";
import { listAuditLog } from "@/lib/db/audit";
import { toCsv } from "@/lib/csv";

const PARAMETERS = ["format", "before", "limit"];
/** The largest id a bigint column holds: a bigger `before` would fail the query. */
const MAX_ID = BigInt("9223372036854775807");

/** The audit log as CSV or JSON, newest first, up to 500 rows per request (page with ?before=<id>). */
export const GET = withRole(AUDIT_LOG_READERS, async (request) => {
  const url = new URL(request.url);
  const problem = queryProblem(url.searchParams, PARAMETERS);
  if (problem) return Response.json({ error: problem }, { status: 400 });
  const format = url.searchParams.get("format") ?? "csv";
  const before = url.searchParams.get("before") ?? undefined;
  const limitParam = url.searchParams.get("limit") ?? "500";
  if (format !== "csv" && format !== "json") {
    return Response.json({ error: "format must be csv or json" }, { status: 400 });
  }
  if (before !== undefined && (!/^\d{1,19}$/.test(before) || BigInt(before) > MAX_ID)) {
    return Response.json({ error: "before must be an audit log entry id" }, { status: 400 });
  }
  if (!/^\d{1,3}$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > 500) {
    return Response.json({ error: "limit must be a number from 1 to 500" }, { status: 400 });
  }
  const rows = await listAuditLog({ before, limit: Number(limitParam) });
  if (format === "json") return Response.json(rows);
  const csv = toCsv(
    ["id", "at", "actor", "action", "targetType", "targetId", "details"],
    rows.map((r) => [r.id, r.at.toISOString(), r.actorEmail, r.action, r.targetType, r.targetId ?? "", JSON.stringify(r.details)]),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="portwatch-audit-log.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
