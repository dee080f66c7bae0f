import { COST_READERS } from "@/lib/auth/roles";
import { withRole } from "@/lib/auth/guard";
import { queryProblem } from "@/lib/url-params";
import { SAVING_LABELS } from "@/lib/cost/savings";
import { csvLine } from "@/lib/csv";
import { getSavingsRun, listSavings, parseSavingsParams, type SavingsCursor } from "@/lib/db/savings";
import { getVisibleRunId } from "@/lib/db/snapshot";

/** What the page's URL takes, minus the pager: the CSV holds every matching row. */
const PARAMETERS = ["kind", "account"];
const BATCH = 2000;

const HEADER = ["run", "action", "kind", "resource", "account", "region", "images", "bytes", "bytes_exact", "usd_per_month", "counted_in_total", "method"];

/**
 * The savings list as CSV, largest first, every matching row. The total is the sum of the rows
 * whose counted_in_total is true. The role is checked here: a route is a public endpoint otherwise.
 */
export const GET = withRole(COST_READERS, async (request) => {
  const search = new URL(request.url).searchParams;
  const problem = queryProblem(search, PARAMETERS);
  if (problem) return Response.json({ error: problem }, { status: 400 });
  const params = parseSavingsParams(Object.fromEntries(search));
  if (params.ignored.length) return Response.json({ error: `Parameter${params.ignored.length > 1 ? "s" : ""} not valid: ${params.ignored.join(", ")}` }, { status: 400 });

  const visibleRunId = await getVisibleRunId();
  const savingsRun = visibleRunId === null ? null : await getSavingsRun(visibleRunId);
  if (!savingsRun) return Response.json({ error: "No savings have been computed yet" }, { status: 404 });
  const { runId } = savingsRun;

  const encoder = new TextEncoder();
  let after: SavingsCursor | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(HEADER)));
    },
    // One batch per pull, so a slow client never makes the server hold the whole list.
    async pull(controller) {
      const page = await listSavings({ runId, filter: params.filter, after, limit: BATCH });
      let text = "";
      for (const row of page.rows) {
        text += csvLine([
          String(runId),
          SAVING_LABELS[row.kind],
          row.kind,
          row.resource,
          row.accountId,
          row.region,
          String(row.images),
          String(row.bytes),
          String(row.bytesExact),
          row.monthlyUsd === null ? "" : row.monthlyUsd.toFixed(6),
          String(row.counted),
          row.method,
        ]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (page.next) after = parseSavingsParams({ after: page.next }).after;
      else controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="portwatch-savings-run-${runId}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
