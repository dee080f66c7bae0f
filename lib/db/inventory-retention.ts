import "server-only";
import { getPool } from "./pool";

/**
 * Superseded inventory versions (replaced by a newer one, not marking a deletion) are kept for
 * `keepDays` after the run that replaced them, so any snapshot in that window can still be read;
 * then they are removed. The last version of a deleted repository or image is kept: it is how
 * Portwatch remembers what was deleted and when. Volatile fields (an image's last pull time)
 * create a version per change, so without this the tables grow with every run.
 */
export async function pruneSupersededVersions(keepDays: number): Promise<number> {
  const pool = getPool();
  const { rows } = await pool.query<{ id: number | null }>(
    `SELECT max("id") AS id FROM "CollectionRun" WHERE "finishedAt" < now() - make_interval(days => $1)`,
    [keepDays],
  );
  const before = rows[0]?.id;
  if (!before) return 0;
  let removed = 0;
  for (const table of ["Image", "Finding", "Repository", "KmsKey", "Registry"]) {
    const deletedColumn = table === "Image" || table === "Repository" ? ` AND "deletedAt" IS NULL` : "";
    const result = await pool.query(`DELETE FROM "${table}" WHERE "validTo" IS NOT NULL AND "validTo" <= $1${deletedColumn}`, [before]);
    removed += result.rowCount ?? 0;
  }
  return removed;
}
