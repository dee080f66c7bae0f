import "server-only";
import type { CostForecastRecord, CostRow } from "@/lib/aws/types";
import type { PoolClient } from "pg";
import { getPool, inTransaction } from "./pool";

/**
 * Cost Explorer rows, upserted: AWS restates recent days, so a re-read day replaces what was
 * stored, and an unchanged one is not rewritten (the WHERE on DO UPDATE).
 */

const BATCH = 5000;

async function upsertCosts(client: PoolClient, table: "CostDaily" | "CostMonthly", dateColumn: "date" | "month", rows: CostRow[], runId: number): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const result = await client.query(
      `INSERT INTO "${table}" ("dimension", "key", "usageType", "${dateColumn}", "amount", "amountUnit", "quantity", "quantityUnit", "estimated", "runId")
       SELECT d, k, u, t::date, a::numeric, au, qn::numeric, qu, e, $10::int4
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[]) AS x(d, k, u, t, a, au, qn, qu, e)
       ON CONFLICT ("dimension", "key", "usageType", "${dateColumn}") DO UPDATE
         SET "amount" = EXCLUDED."amount", "amountUnit" = EXCLUDED."amountUnit", "quantity" = EXCLUDED."quantity",
             "quantityUnit" = EXCLUDED."quantityUnit", "estimated" = EXCLUDED."estimated", "runId" = EXCLUDED."runId"
         WHERE ("${table}"."amount", "${table}"."quantity", "${table}"."estimated", "${table}"."amountUnit", "${table}"."quantityUnit")
               IS DISTINCT FROM (EXCLUDED."amount", EXCLUDED."quantity", EXCLUDED."estimated", EXCLUDED."amountUnit", EXCLUDED."quantityUnit")`,
      [
        batch.map((r) => r.dimension),
        batch.map((r) => r.key),
        batch.map((r) => r.usageType),
        batch.map((r) => r.date),
        batch.map((r) => r.amount),
        batch.map((r) => r.amountUnit),
        batch.map((r) => r.quantity),
        batch.map((r) => r.quantityUnit),
        batch.map((r) => r.estimated),
        runId,
      ],
    );
    written += result.rowCount ?? 0;
  }
  return written;
}

export interface CostWrite {
  daily: CostRow[];
  monthly: CostRow[];
  forecasts: CostForecastRecord[];
  usageTypes: string[];
}

export async function writeCostCollection(runId: number, costs: CostWrite): Promise<{ rowsWritten: number }> {
  return inTransaction(async (client) => {
    let rowsWritten = await upsertCosts(client, "CostDaily", "date", costs.daily, runId);
    rowsWritten += await upsertCosts(client, "CostMonthly", "month", costs.monthly, runId);
    for (const forecast of costs.forecasts) {
      const result = await client.query(
        `INSERT INTO "CostForecast" ("runId", "startDate", "endDate", "mean", "lower", "upper", "unit") VALUES ($1, $2::date, $3::date, $4::numeric, $5::numeric, $6::numeric, $7)
         ON CONFLICT ("runId", "startDate", "endDate") DO UPDATE SET "mean" = EXCLUDED."mean", "lower" = EXCLUDED."lower", "upper" = EXCLUDED."upper", "unit" = EXCLUDED."unit"`,
        [runId, forecast.start, forecast.end, forecast.mean, forecast.lower, forecast.upper, forecast.unit],
      );
      rowsWritten += result.rowCount ?? 0;
    }
    if (costs.usageTypes.length) {
      const result = await client.query(
        `INSERT INTO "CostUsageType" ("usageType", "firstSeenRunId", "lastSeenRunId") SELECT u, $2, $2 FROM unnest($1::text[]) AS x(u)
         ON CONFLICT ("usageType") DO UPDATE SET "lastSeenRunId" = EXCLUDED."lastSeenRunId"`,
        [costs.usageTypes, runId],
      );
      rowsWritten += result.rowCount ?? 0;
    }
    return { rowsWritten };
  });
}

/** The newest day stored, for incremental reads (YYYY-MM-DD), or null before the first. */
export async function getLatestCostDate(): Promise<string | null> {
  const { rows } = await getPool().query<{ latest: string | null }>(`SELECT to_char(max("date"), 'YYYY-MM-DD') AS latest FROM "CostDaily"`);
  return rows[0]?.latest ?? null;
}
