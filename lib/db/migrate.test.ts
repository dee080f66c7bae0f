import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/database";
import { checksumOf, migrate, MIGRATIONS_DIR, readMigrations } from "./migrate";

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "pw-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migrate", () => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop();
  });
  const fresh = async () => {
    const db = await createTestDatabase({ empty: true });
    drops.push(db.drop);
    return db.url;
  };

  it("applies every migration once and records it as Prisma does, with the file's SHA-256", async () => {
    const url = await fresh();
    const first = await migrate(url);
    const migrations = await readMigrations();
    expect(first.applied).toEqual(migrations.map((m) => m.name));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; id: string }>(
      url,
      `SELECT id, migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const sql = await readFile(path.join(MIGRATIONS_DIR, migrations[0].name, "migration.sql"), "utf8");
    expect(rows[0]).toMatchObject({ migration_name: migrations[0].name, checksum: checksumOf(sql), applied_steps_count: 1 });
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);

    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(migrations.length);
  });

  it("refuses a migration edited after it was applied", async () => {
    const url = await fresh();
    const dir = await migrationsDir({ "20260101000000_one": `CREATE TABLE "A" ("id" TEXT);` });
    await migrate(url, dir);
    await writeFile(path.join(dir, "20260101000000_one", "migration.sql"), `CREATE TABLE "A" ("id" INTEGER);`);
    await expect(migrate(url, dir)).rejects.toThrow(/20260101000000_one was changed after it was applied/);
  });

  it("rolls back a failing migration whole, with no record of it, and names it", async () => {
    const url = await fresh();
    const dir = await migrationsDir({
      "20260101000000_good": `CREATE TABLE "Good" ("id" TEXT);`,
      "20260102000000_bad": `CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "Missing" ADD COLUMN "x" TEXT;`,
    });
    await expect(migrate(url, dir)).rejects.toThrow(/migration 20260102000000_bad failed and was rolled back: relation "Missing" does not exist/);
    const tables = await query<{ table_name: string }>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.table_name)).toEqual(["Good", "_prisma_migrations"]);
    const recorded = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(recorded.map((r) => r.migration_name)).toEqual(["20260101000000_good"]);
  });

  it("refuses a database that has a migration this version does not know", async () => {
    const url = await fresh();
    const dir = await migrationsDir({ "20260101000000_one": `SELECT 1;`, "20260102000000_two": `SELECT 1;` });
    await migrate(url, dir);
    const older = await migrationsDir({ "20260101000000_one": `SELECT 1;` });
    await expect(migrate(url, older)).rejects.toThrow(/20260102000000_two, which this version of Portwatch does not know/);
  });

  it("lets concurrent starts migrate once", async () => {
    const url = await fresh();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, (await readMigrations()).length]);
  });
});
