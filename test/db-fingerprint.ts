import pg from "pg";

/** Per table: its row count and an md5 over every row's text, in a stable order. */
export type DatabaseFingerprint = Record<string, { rows: number; md5: string | null }>;

/**
 * A fingerprint of every table in the public schema, so a test can assert "nothing changed"
 * after a refused request: `expect(await databaseFingerprint(url)).toEqual(before)` names the
 * table that changed.
 *
 * Only the public schema is read. What changes without a request lives elsewhere: pg-boss keeps
 * its queues, schedules and job rows in its own "pgboss" schema, and a worker's maintenance and
 * cron ticks write there on their own timers. Nothing in public changes by itself (sessions'
 * last-seen times are written only when a request carries the session), so no public table is
 * left out by default; `exclude` leaves out tables a caller checks another way (AuditLog, when
 * a request legitimately writes one entry and the test asserts that entry itself).
 */
export async function databaseFingerprint(url: string, { exclude = [] }: { exclude?: string[] } = {}): Promise<DatabaseFingerprint> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const names = tables.map((t) => t.name).filter((name) => !exclude.includes(name));
    if (names.length === 0) return {};
    // One round trip for every table. A row's text form covers every column; ordering by it makes
    // the hash independent of physical order (an UPDATE writing the same values back moves a row).
    const sql = names
      .map((name, i) => `SELECT $${i + 1}::text AS name, count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM public."${name.replaceAll('"', '""')}" t`)
      .join(" UNION ALL ");
    const { rows } = await client.query<{ name: string; rows: number; md5: string | null }>(sql, names);
    const out: DatabaseFingerprint = {};
    for (const row of rows) out[row.name] = { rows: row.rows, md5: row.md5 };
    return out;
  } finally {
    await client.end().catch(() => undefined);
  }
}
