import path from "node:path";
import pg from "pg";
import { describeConnectionError } from "@/lib/db/connection-errors";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import type { Env } from "@/lib/env";
import { CliError } from "./args";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server when this process started it; a no-op otherwise. */
  close(): Promise<void>;
}

export function dataDir(env: Env): string {
  return path.resolve(PROJECT_ROOT, env.PORTWATCH_DATA_DIR);
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new CliError(describeConnectionError(error, url));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** DATABASE_URL when set, else the embedded PostgreSQL under the data directory. */
export async function openDatabase(env: Env, log: (line: string) => void = () => undefined): Promise<OpenDatabase> {
  if (env.DATABASE_URL) {
    await checkReachable(env.DATABASE_URL);
    return { url: env.DATABASE_URL, embedded: false, close: async () => undefined };
  }
  const dir = dataDir(env);
  log(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), dir) || dir})…`);
  try {
    const db = await startEmbeddedDatabase({ dataDir: dir, port: env.PORTWATCH_PG_PORT });
    if (!db.owned) log("Using the embedded PostgreSQL another portwatch process already runs.");
    return { url: db.url, embedded: true, close: db.stop };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
