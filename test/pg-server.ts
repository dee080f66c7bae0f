import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

/**
 * A PostgreSQL server for a test run: DATABASE_URL's server when set, else a throwaway embedded
 * one in its own data directory and port. Tests never touch the database DATABASE_URL names:
 * they create their own databases on its server and drop them afterwards.
 */
export interface TestServer {
  /** A URL on the server for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startTestServer(root: string, externalUrl: string | undefined): Promise<TestServer> {
  if (externalUrl) return { adminUrl: externalUrl, stop: async () => undefined };
  const dir = await mkdtemp(path.join(root, ".portwatch", "test-"));
  const db = await startEmbeddedDatabase({ dataDir: dir, port: await freePort() });
  return {
    adminUrl: db.url,
    stop: async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
