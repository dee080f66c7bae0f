import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "@/lib/db/migrate";
import { adminQuery, databaseUrl, startTestServer } from "./pg-server";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    runPrefix: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, "..");

/** One PostgreSQL server per run, and a migrated template each test file copies (fast: no DDL per file). */
export default async function setup(project: TestProject) {
  await mkdir(path.join(ROOT, ".portwatch"), { recursive: true });
  const server = await startTestServer(ROOT, process.env.DATABASE_URL || undefined);
  const runPrefix = `pw_test_${process.pid}_${Date.now().toString(36)}`;
  const template = `${runPrefix}_template`;
  await adminQuery(server.adminUrl, `CREATE DATABASE "${template}"`);
  await migrate(databaseUrl(server.adminUrl, template));

  project.provide("pgAdminUrl", server.adminUrl);
  project.provide("templateDatabase", template);
  project.provide("runPrefix", runPrefix);

  return async () => {
    // Whatever a crashed test file left behind goes too.
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: server.adminUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${runPrefix}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
    await server.stop();
  };
}
