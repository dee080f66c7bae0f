import "server-only";
import type { PoolClient } from "pg";
import { registrySavings, type Saving, SAVING_KINDS, type SavingKind } from "@/lib/cost/savings";
import { toComplianceSettings } from "@/lib/settings";
import { readRegistrySnapshots } from "./compliance-facts";
import { getPool, inTransaction } from "./pool";
import { getSettings } from "./settings";
import { inSnapshotSql } from "./snapshot";
import { paramReader, queryString, type SearchParams } from "@/lib/url-params";

/**
 * The organisation's savings, computed once per collection run (after its evaluation, and again
 * whenever the run is re-evaluated, e.g. after a settings change) and stored in CostSaving, so the
 * Savings page reads a ranked table instead of simulating lifecycle policies over every image.
 */

// --- Computing and storing a run's savings. ---

export interface RunSavingsSummary {
  runId: number;
  registries: number;
  rows: number;
  /** USD a month over the counted rows. */
  totalMonthlyUsd: number;
  /** Milliseconds: reading the snapshot (waits only), deciding, and the whole computation. */
  readWaitMs: number;
  computeMs: number;
  totalMs: number;
}

// Two computations of one run take turns, so neither deletes the rows the other just wrote.
const LOCK_CLASS = 0x5057_5356; // "PWSV"
const INSERT_BATCH = 2000;

const usdText = (usd: number | null) => (usd === null ? null : usd.toFixed(6));

/**
 * Every saving in run `runId`'s snapshot, one registry at a time (memory stays bounded by the
 * largest registry), replacing what was stored for the run. Rows of runs whose evaluations were
 * pruned go too: savings are kept as long as the run's compliance results.
 */
export async function computeRunSavings(runId: number): Promise<RunSavingsSummary> {
  const started = performance.now();
  const pool = getPool();
  const { rows: runs } = await pool.query<{ asOf: Date }>(`SELECT COALESCE("finishedAt", "createdAt") AS "asOf" FROM "CollectionRun" WHERE "id" = $1`, [runId]);
  if (!runs[0]) throw new Error(`run #${runId} does not exist`);
  // Ages are measured from when the run's collection finished, as the checks measure them.
  const asOf = runs[0].asOf;
  const settings = toComplianceSettings(await getSettings());
  const { rows: registries } = await pool.query<{ accountId: string; region: string }>(
    `SELECT g."accountId", g."region" FROM "Registry" g WHERE ${inSnapshotSql("g", "$1")} ORDER BY 1, 2`,
    [runId],
  );

  const savings: Saving[] = [];
  let readWaitMs = 0;
  let computeMs = 0;
  for await (const { snapshot, waitedMs } of readRegistrySnapshots(runId, registries)) {
    readWaitMs += waitedMs;
    if (!snapshot) continue;
    const computing = performance.now();
    for (const saving of registrySavings(snapshot.registry, snapshot.repositories, asOf, settings)) savings.push(saving);
    computeMs += performance.now() - computing;
  }

  await storeRunSavings(runId, savings);

  return {
    runId,
    registries: registries.length,
    rows: savings.length,
    totalMonthlyUsd: savings.reduce((sum, s) => sum + (s.counted && s.monthlyUsd !== null ? Number(usdText(s.monthlyUsd)) : 0), 0),
    readWaitMs,
    computeMs,
    totalMs: performance.now() - started,
  };
}

/**
 * Replaces run `runId`'s stored savings with `savings`, in one transaction, and drops the savings
 * of runs that no longer have an evaluation. The evaluation writes them with writeRunSavings in
 * its own transaction, from the snapshots it already read.
 */
export async function storeRunSavings(runId: number, savings: readonly Saving[]): Promise<void> {
  await inTransaction((client) => writeRunSavings(client, runId, savings));
}

/** storeRunSavings inside the caller's transaction (the evaluation's, so both appear at once). */
export async function writeRunSavings(client: PoolClient, runId: number, savings: readonly Saving[]): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_CLASS, runId]);
  await client.query(`DELETE FROM "CostSaving" WHERE "runId" = $1`, [runId]);
  for (let start = 0; start < savings.length; start += INSERT_BATCH) {
    const batch = savings.slice(start, start + INSERT_BATCH);
    await client.query(
      `INSERT INTO "CostSaving" ("runId", "kind", "resource", "accountId", "region", "images", "bytes", "bytesExact", "monthlyUsd", "counted", "method", "details")
       SELECT $1, k, r, a, g, i, b, x, u::numeric, c, m, d::jsonb
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int4[], $7::int8[], $8::bool[], $9::text[], $10::bool[], $11::text[], $12::text[])
           AS t(k, r, a, g, i, b, x, u, c, m, d)`,
      [
        runId,
        batch.map((s) => s.kind),
        batch.map((s) => s.resource),
        batch.map((s) => s.accountId),
        batch.map((s) => s.region),
        batch.map((s) => s.images),
        batch.map((s) => String(Math.round(s.bytes))),
        batch.map((s) => s.bytesExact),
        batch.map((s) => usdText(s.monthlyUsd)),
        batch.map((s) => s.counted),
        batch.map((s) => s.method),
        batch.map((s) => JSON.stringify(s.details)),
      ],
    );
  }
  await client.query(`DELETE FROM "CostSaving" WHERE "runId" <> $1 AND "runId" NOT IN (SELECT DISTINCT "runId" FROM "Evaluation")`, [runId]);
}

// --- The URL contract of the Savings page and its CSV. ---

export interface SavingsFilter {
  kind?: SavingKind;
  accountId?: string;
}

export interface SavingsCursor {
  /** The row's rank key (the negated USD a month; 1 for an unquantified row) as PostgreSQL prints it. */
  key: string;
  kind: SavingKind;
  resource: string;
}

export interface SavingsParams {
  filter: SavingsFilter;
  after?: SavingsCursor;
  before?: SavingsCursor;
  ignored: string[];
}


const isKind = (value: unknown): value is SavingKind => typeof value === "string" && (SAVING_KINDS as readonly string[]).includes(value);

export function encodeSavingsCursor(cursor: SavingsCursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.kind, cursor.resource]), "utf8").toString("base64url");
}

export function decodeSavingsCursor(value: string): SavingsCursor | null {
  if (value.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [key, kind, resource] = parsed as unknown[];
  if (typeof key !== "string" || !/^-?\d{1,14}(\.\d{1,6})?$/.test(key) || !isKind(kind) || typeof resource !== "string" || resource.length === 0 || resource.length > 1024) return null;
  return { key, kind, resource };
}

export function parseSavingsParams(params: SearchParams): SavingsParams {
  const { pick, cursor, ignored } = paramReader(params);
  const filter: SavingsFilter = {};
  const kind = pick("kind", (v) => (isKind(v) ? v : undefined));
  if (kind) filter.kind = kind;
  const accountId = pick("account", (v) => (/^\d{12}$/.test(v) ? v : undefined));
  if (accountId) filter.accountId = accountId;
  return { filter, ignored, ...cursor(decodeSavingsCursor) };
}

export function savingsQuery(filter: SavingsFilter, page: { after?: string; before?: string } = {}): string {
  return queryString({ kind: filter.kind, account: filter.accountId }, page);
}

// --- Reading them. ---

export interface SavingsRun {
  runId: number;
  computedAt: Date;
}

/** The run whose savings the page shows: the visible run's, else the newest computed before it. */
export async function getSavingsRun(visibleRunId: number): Promise<SavingsRun | null> {
  const { rows } = await getPool().query<{ runId: number; computedAt: Date }>(
    `SELECT "runId", max("computedAt") AS "computedAt" FROM "CostSaving"
      WHERE "runId" = (SELECT max("runId") FROM "CostSaving" WHERE "runId" <= $1) GROUP BY "runId"`,
    [visibleRunId],
  );
  return rows[0] ?? null;
}

export interface SavingRow extends Saving {
  runId: number;
}

export interface SavingsPage {
  rows: SavingRow[];
  next: string | null;
  previous: string | null;
}

// The rank as one ascending key: the largest saving first, the unquantified last (1 is above any
// negated amount), then the kinds in SAVING_KINDS order, then the resource.
const RANK_KEY = `(-COALESCE(s."monthlyUsd", -1))`;
const KIND_ORDER = `(CASE s."kind" ${SAVING_KINDS.map((k, i) => `WHEN '${k}' THEN ${i}`).join(" ")} END)`;

function conditions(runId: number, filter: SavingsFilter, values: unknown[]): string[] {
  const out = [`s."runId" = $${values.push(runId)}`];
  if (filter.kind) out.push(`s."kind" = $${values.push(filter.kind)}`);
  if (filter.accountId) out.push(`s."accountId" = $${values.push(filter.accountId)}`);
  return out;
}

interface SavingSql {
  runId: number;
  kind: SavingKind;
  resource: string;
  accountId: string;
  region: string;
  images: number;
  bytes: string;
  bytesExact: boolean;
  monthlyUsd: string | null;
  counted: boolean;
  method: string;
  details: Record<string, unknown>;
  rankKey: string;
}

/** One page of the ranked savings of a run (largest first). */
export async function listSavings({ runId, filter = {}, after, before, limit = 50 }: { runId: number; filter?: SavingsFilter; after?: SavingsCursor; before?: SavingsCursor; limit?: number }): Promise<SavingsPage> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), 2000);
  const backwards = before !== undefined && after === undefined;
  const order = backwards ? "DESC" : "ASC";
  const values: unknown[] = [];
  const where = conditions(runId, filter, values);
  const cursor = backwards ? before : after;
  if (cursor) {
    const kindIndex = SAVING_KINDS.indexOf(cursor.kind);
    where.push(`(${RANK_KEY}, ${KIND_ORDER}, s."resource" COLLATE "C") ${backwards ? "<" : ">"} ($${values.push(cursor.key)}::numeric, $${values.push(kindIndex)}::int, $${values.push(cursor.resource)}::text COLLATE "C")`);
  }
  const { rows } = await getPool().query<SavingSql>(
    `SELECT s."runId", s."kind", s."resource", s."accountId", s."region", s."images", s."bytes"::text AS "bytes", s."bytesExact",
            s."monthlyUsd"::text AS "monthlyUsd", s."counted", s."method", s."details", ${RANK_KEY}::text AS "rankKey"
       FROM "CostSaving" s
      WHERE ${where.join(" AND ")}
      ORDER BY ${RANK_KEY} ${order}, ${KIND_ORDER} ${order}, s."resource" COLLATE "C" ${order}
      LIMIT ${take + 1}`,
    values,
  );
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (backwards) page.reverse();
  const cursorOf = (row: SavingSql) => encodeSavingsCursor({ key: row.rankKey, kind: row.kind, resource: row.resource });
  const firstRow = page[0];
  const lastRow = page[page.length - 1];
  return {
    rows: page.map((row) => ({
      runId: row.runId,
      kind: row.kind,
      resource: row.resource,
      accountId: row.accountId,
      region: row.region,
      images: row.images,
      bytes: Number(row.bytes),
      bytesExact: row.bytesExact,
      monthlyUsd: row.monthlyUsd === null ? null : Number(row.monthlyUsd),
      counted: row.counted,
      method: row.method,
      details: row.details,
    })),
    next: lastRow && (backwards || more) ? cursorOf(lastRow) : null,
    previous: firstRow && (backwards ? more : cursor !== undefined) ? cursorOf(firstRow) : null,
  };
}

export interface SavingsKindTotals {
  kind: SavingKind;
  rows: number;
  /** USD a month in the total (counted rows). */
  countedUsd: number;
  /** USD a month listed but left out of the total (overlapping lifecycle actions). */
  overlappingUsd: number;
  unquantified: number;
}

export interface SavingsTotals {
  rows: number;
  /** USD a month: the sum of the counted rows' amounts, exactly as stored. */
  totalUsd: number;
  byKind: SavingsKindTotals[];
}

export async function getSavingsTotals({ runId, filter = {} }: { runId: number; filter?: SavingsFilter }): Promise<SavingsTotals> {
  const values: unknown[] = [];
  const where = conditions(runId, filter, values);
  const { rows } = await getPool().query<{ kind: SavingKind; rows: number; counted: string; overlapping: string; unquantified: number }>(
    `SELECT s."kind", count(*)::int AS "rows", COALESCE(sum(s."monthlyUsd") FILTER (WHERE s."counted"), 0)::text AS "counted",
            COALESCE(sum(s."monthlyUsd") FILTER (WHERE NOT s."counted"), 0)::text AS "overlapping", count(*) FILTER (WHERE s."monthlyUsd" IS NULL)::int AS "unquantified"
       FROM "CostSaving" s WHERE ${where.join(" AND ")} GROUP BY s."kind"`,
    values,
  );
  const byKind = SAVING_KINDS.flatMap((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return row ? [{ kind, rows: row.rows, countedUsd: Number(row.counted), overlappingUsd: Number(row.overlapping), unquantified: row.unquantified }] : [];
  });
  // Summed in SQL's exact decimals per kind, then across the five kinds.
  const [{ total }] = (
    await getPool().query<{ total: string }>(`SELECT COALESCE(sum(s."monthlyUsd") FILTER (WHERE s."counted"), 0)::text AS "total" FROM "CostSaving" s WHERE ${where.join(" AND ")}`, values)
  ).rows;
  return { rows: byKind.reduce((n, k) => n + k.rows, 0), totalUsd: Number(total), byKind };
}

/** The accounts with savings in the run (the page's account filter). */
export async function listSavingsAccounts(runId: number): Promise<string[]> {
  const { rows } = await getPool().query<{ accountId: string }>(`SELECT DISTINCT "accountId" FROM "CostSaving" WHERE "runId" = $1 ORDER BY 1`, [runId]);
  return rows.map((r) => r.accountId);
}
