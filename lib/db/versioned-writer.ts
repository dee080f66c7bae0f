import "server-only";
import { hash as oneShotHash } from "node:crypto";
import type pg from "pg";
import { CHUNK, type ColumnType, CopyWriter, copyField, encode } from "./copy-writer";

/**
 * Writes one scope's current state of a versioned inventory table (DESIGN.md, Storage) in bulk:
 * a row whose content is unchanged is not touched; a changed row closes its open version
 * (validTo = run) and opens a new one (validFrom = run); a row no longer present is closed and
 * marked deleted. New versions go in through COPY, streamed while later rows are still being
 * encoded, so PostgreSQL parses on one core while Node encodes on the other.
 */

export type { ColumnType };

export interface Column<R> {
  name: string;
  type: ColumnType;
  value: (row: R) => unknown;
}

export interface VersionedTable<R> {
  table: string;
  keyColumns: string[];
  /** Every stored column except validFrom, validTo, hash and deletedAt. */
  columns: Column<R>[];
  /** Whether the table has a deletedAt column to mark the last version of a vanished row. */
  marksDeleted: boolean;
}

export interface ScopeFilter {
  accountId: string;
  region: string;
}

export interface WriteOptions {
  /** Whether an open row absent from `rows` is gone (closed) or merely unread this time (kept). */
  isGoneWhenMissing?: (key: string[]) => boolean;
}



export function contentHash(values: readonly unknown[]): string {
  // The encoded column values joined by separators (null has its own marker): cheaper than JSON
  // over hundreds of thousands of rows. Change detection, not security: SHA-1 is enough.
  let text = "";
  for (const value of values) text += value === null || value === undefined ? "\u0000\u0002" : `${String(value)}\u0002`;
  return oneShotHash("sha1", text, "base64url");
}

const keyOf = (parts: readonly string[]) => parts.join("\u0000");
const q = (name: string) => `"${name}"`;

/** Runs a statement over the given keys' rows, in batches of array parameters. */
async function updateKeys(client: pg.PoolClient, spec: VersionedTable<unknown>, keys: string[][], statement: (match: string, keyParams: number) => string, extra: unknown[]): Promise<void> {
  for (let start = 0; start < keys.length; start += CHUNK) {
    const batch = keys.slice(start, start + CHUNK);
    const params = spec.keyColumns.map((_, i) => batch.map((k) => k[i]));
    const unnest = spec.keyColumns.map((_, i) => `$${i + 1}::text[]`).join(", ");
    const names = spec.keyColumns.map((_, i) => `"k${i}"`).join(", ");
    const match = `(${spec.keyColumns.map((c) => `x.${q(c)}`).join(", ")}) IN (SELECT ${names} FROM unnest(${unnest}) AS k(${names}))`;
    await client.query(statement(match, spec.keyColumns.length), [...params, ...extra]);
  }
}

/**
 * Undoes what an earlier attempt of this run wrote for the scope (its process died between
 * writing and recording the target), so the attempt starts from the previous run's state and a
 * resumed target never duplicates a row.
 */
export async function resetScopeForRun(client: pg.PoolClient, table: string, runId: number, scope: ScopeFilter, marksDeleted: boolean): Promise<void> {
  await client.query(`DELETE FROM ${q(table)} WHERE "accountId" = $1 AND "region" = $2 AND "validFrom" = $3`, [scope.accountId, scope.region, runId]);
  await client.query(
    `UPDATE ${q(table)} SET "validTo" = NULL${marksDeleted ? `, "deletedAt" = NULL` : ""} WHERE "accountId" = $1 AND "region" = $2 AND "validTo" = $3`,
    [scope.accountId, scope.region, runId],
  );
}


export interface WriteResult {
  inserted: number;
  closed: number;
  unchanged: number;
}

export async function writeVersioned<R>(
  client: pg.PoolClient,
  spec: VersionedTable<R>,
  runId: number,
  scope: ScopeFilter,
  rows: Iterable<R>,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const open = await client.query<{ hash: string } & Record<string, string>>(
    `SELECT ${spec.keyColumns.map(q).join(", ")}, "hash" FROM ${q(spec.table)} WHERE "accountId" = $1 AND "region" = $2 AND "validTo" IS NULL`,
    [scope.accountId, scope.region],
  );
  const existing = new Map<string, { hash: string; key: string[] }>();
  for (const row of open.rows) {
    const key = spec.keyColumns.map((c) => row[c]);
    existing.set(keyOf(key), { hash: row.hash, key });
  }

  const columns = spec.columns;
  const copy = new CopyWriter(client, `COPY ${q(spec.table)} (${[...columns.map((c) => q(c.name)), `"hash"`, `"validFrom"`].join(", ")}) FROM STDIN`);
  const runField = `\t${runId}\n`;
  const keyIndexes = spec.keyColumns.map((name) => columns.findIndex((c) => c.name === name));
  const toClose: string[][] = [];
  const seen = new Set<string>();
  let total = 0;
  let inserted = 0;
  const values = new Array<string | null>(columns.length);
  for (const row of rows) {
    total += 1;
    for (let i = 0; i < columns.length; i++) values[i] = encode(columns[i].type, columns[i].value(row));
    const key = keyIndexes.map((i) => values[i] as string);
    const id = keyOf(key);
    if (seen.has(id)) continue;
    seen.add(id);
    const hash = contentHash(values);
    const current = existing.get(id);
    if (current && current.hash === hash) continue;
    if (current) toClose.push(key);
    let line = "";
    for (let i = 0; i < values.length; i++) line += `${copyField(values[i])}\t`;
    await copy.add(`${line}${hash}${runField}`);
    inserted += 1;
  }
  await copy.end();

  const table = q(spec.table);
  const anySpec = spec as VersionedTable<unknown>;
  if (toClose.length) {
    // validFrom < run: the versions just copied in stay open.
    await updateKeys(client, anySpec, toClose, (match, n) => `UPDATE ${table} x SET "validTo" = $${n + 1} WHERE ${match} AND x."validTo" IS NULL AND x."validFrom" < $${n + 1}`, [runId]);
  }
  const gone: string[][] = [];
  for (const [id, current] of existing) {
    if (seen.has(id)) continue;
    if (options.isGoneWhenMissing && !options.isGoneWhenMissing(current.key)) continue;
    gone.push(current.key);
  }
  if (gone.length) {
    const mark = spec.marksDeleted ? `, "deletedAt" = now()` : "";
    await updateKeys(client, anySpec, gone, (match, n) => `UPDATE ${table} x SET "validTo" = $${n + 1}${mark} WHERE ${match} AND x."validTo" IS NULL`, [runId]);
  }
  return { inserted, closed: toClose.length + gone.length, unchanged: total - inserted };
}
