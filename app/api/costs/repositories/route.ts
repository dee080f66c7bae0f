import { COST_READERS } from "@/lib/auth/roles";
import { withRole } from "@/lib/auth/guard";
import { queryProblem } from "@/lib/url-params";
import { csvLine } from "@/lib/csv";
import { getStorageCosts, getStoragePrices, listRepositoryCosts, parseRepositoryCostParams, type RepositoryCostCursor } from "@/lib/db/repository-costs";
import { getVisibleRunId } from "@/lib/db/snapshot";

/** What the list's URL takes, minus the pager: the CSV holds every matching row. */
const PARAMETERS = ["account", "region", "name", "min", "sort", "dir"];
const BATCH = 1000;

const HEADER = [
  "repository",
  "arn",
  "account",
  "region",
  "images",
  "stored_bytes",
  "stored_bytes_exact",
  "list_price_usd_per_month",
  "allocated_usd",
  "account_region_storage_usd",
  "share_of_account_region",
  "cost_window_from",
  "cost_window_to",
];

/**
 * The repository cost list as CSV, ranked as on the page, every matching repository (read in
 * keyset batches). Amounts carry micro-dollars, so a region's allocated column adds up to its bill
 * exactly. The role is checked here: a route is a public endpoint otherwise.
 */
export const GET = withRole(COST_READERS, async (request) => {
  const search = new URL(request.url).searchParams;
  const problem = queryProblem(search, PARAMETERS);
  if (problem) return Response.json({ error: problem }, { status: 400 });
  const params = parseRepositoryCostParams(Object.fromEntries(search));
  if (params.ignored.length) return Response.json({ error: `Parameter${params.ignored.length > 1 ? "s" : ""} not valid: ${params.ignored.join(", ")}` }, { status: 400 });

  const runId = await getVisibleRunId();
  if (runId === null) return Response.json({ error: "Nothing has been collected yet" }, { status: 404 });
  const { filter, sort, direction } = params;
  const [storage, prices] = await Promise.all([getStorageCosts(filter.accountId), getStoragePrices()]);
  const costWindow = storage.window;

  const encoder = new TextEncoder();
  let after: RepositoryCostCursor | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(HEADER)));
    },
    // One batch per pull, so a slow client never makes the server hold the whole list.
    async pull(controller) {
      const page = await listRepositoryCosts({ runId, filter, sort, direction, after, limit: BATCH, storage, prices });
      let text = "";
      for (const row of page.rows) {
        text += csvLine([
          row.name,
          row.arn,
          row.accountId,
          row.region,
          String(row.imageCount),
          String(row.storedBytes),
          row.imagesUnread ? "unknown" : String(row.storedBytesExact),
          row.listUsd.toFixed(6),
          row.allocatedUsd === null ? "" : row.allocatedUsd.toFixed(6),
          row.regionCostUsd === null ? "" : row.regionCostUsd.toFixed(6),
          row.regionStoredBytes > 0 ? (row.storedBytes / row.regionStoredBytes).toFixed(6) : "",
          costWindow?.from ?? "",
          costWindow?.to ?? "",
        ]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      // The query hands back an opaque cursor; decoded, it is where the next batch starts.
      if (page.next) after = parseRepositoryCostParams({ sort, dir: direction, after: page.next }).after;
      else controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="portwatch-repository-costs-run-${runId}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
