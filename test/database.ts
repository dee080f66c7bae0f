import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { adminQuery, databaseUrl } from "./pg-server";

/** A new database for one test file: migrated (copied from the run's template) or empty. */
export async function createTestDatabase({ empty = false }: { empty?: boolean } = {}) {
  const name = `${inject("runPrefix")}_${randomBytes(4).toString("hex")}`;
  const admin = inject("pgAdminUrl");
  await adminQuery(admin, empty ? `CREATE DATABASE "${name}"` : `CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
  return {
    name,
    url: databaseUrl(admin, name),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Gives the test file its own migrated database and points lib/db at it. */
export function withTestDatabase(): { url: () => string } {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    connectDatabase(db.url);
  });
  afterAll(async () => {
    await disconnectDb();
    await db?.drop();
  });
  return { url: () => db!.url };
}
