import pg from "pg";
import { connectDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

/**
 * A fresh, migrated database named `name` on DATABASE_URL's server (default the local
 * PostgreSQL), connected as the process's database; `drop()` removes it.
 */
export async function createBenchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  connectDatabase(url.toString());
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
