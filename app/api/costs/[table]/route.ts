import { costFilterOf, parseCostQuery } from "@/app/(dashboard)/costs/cost-params";
import { costCsv, csvFilename, isCostTable, COST_TABLES } from "@/app/(dashboard)/costs/cost-tables";
import { COST_READERS } from "@/lib/auth/roles";
import { withRole } from "@/lib/auth/guard";
import { toCsv } from "@/lib/csv";
import { getCostView } from "@/lib/db/costs";

/**
 * The table behind one of the Costs page's charts as CSV, for the same range and filters as the
 * page's URL. The role is checked here: a route is a public endpoint otherwise. A bad parameter
 * is a 400 naming it, never a 500 and never a silently different table.
 */
export const GET = withRole<{ params: Promise<{ table: string }> }>(COST_READERS, async (request, { params }) => {
  const { table } = await params;
  if (!isCostTable(table)) return Response.json({ error: `No cost table "${table.slice(0, 40)}" (tables: ${COST_TABLES.join(", ")})` }, { status: 404 });
  const query = parseCostQuery(new URL(request.url).searchParams);
  if (!query.ok) return Response.json({ error: query.error }, { status: 400 });
  const view = await getCostView(query.params.days, costFilterOf(query.params));
  const { header, rows } = costCsv(view, table);
  return new Response(toCsv(header, rows), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFilename(view, table)}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
});
