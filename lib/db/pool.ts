import "server-only";
import pg from "pg";
import { databaseUrl } from "./client";

let pool: pg.Pool | undefined;
let poolUrl: string | undefined;

/**
 * A plain pg pool for the bulk inventory writers (raw SQL with array parameters), which Prisma's
 * query builder cannot express efficiently. Same database as getDb().
 */
export function getPool(): pg.Pool {
  const url = databaseUrl();
  if (pool && poolUrl === url) return pool;
  void pool?.end().catch(() => undefined);
  pool = new pg.Pool({ connectionString: url, max: 10, application_name: "portwatch-collector" });
  pool.on("error", () => undefined);
  poolUrl = url;
  return pool;
}

export async function closePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  poolUrl = undefined;
  await closing?.end();
}

/** Runs fn in one transaction on one connection: all of it lands, or none of it. */
export async function inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
