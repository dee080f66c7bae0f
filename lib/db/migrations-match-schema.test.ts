import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actualFromDatabase, diffSchemas, expectedFromPrismaSchema } from "@/test/schema-drift";
import { createTestDatabase } from "@/test/database";
import { migrate } from "./migrate";

const schemaPath = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");

describe("the migrations build exactly what schema.prisma declares", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let schema: string;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    await migrate(db.url);
    schema = await readFile(schemaPath, "utf8");
  });
  afterAll(() => db.drop());

  it("a fresh database from the migrations matches schema.prisma", async () => {
    const differences = diffSchemas(expectedFromPrismaSchema(schema), await actualFromDatabase(db.url));
    expect(differences).toEqual([]);
  });

  it("reports a column added to schema.prisma without a migration", async () => {
    const edited = schema.replace(/model AwsAccount \{/, "model AwsAccount {\n  owner String?");
    const differences = diffSchemas(expectedFromPrismaSchema(edited), await actualFromDatabase(db.url));
    expect(differences).toContain("column AwsAccount.owner is in schema.prisma but not in the migrated database");
  });

  it("reports a changed type, nullability, unique key and foreign key", async () => {
    const edited = schema
      .replace("  name        String\n  environment", "  name        Int\n  environment")
      .replace("  name          String?\n  emailVerified", "  name          String\n  emailVerified")
      .replace("  email         String    @unique", "  email         String")
      .replace("@relation(fields: [userId], references: [id], onDelete: Cascade)\n\n  @@unique", "@relation(fields: [userId], references: [id])\n\n  @@unique");
    const differences = diffSchemas(expectedFromPrismaSchema(edited), await actualFromDatabase(db.url));
    expect(differences).toEqual(
      expect.arrayContaining([
        "column AwsAccount.name is text in the database, int4 in schema.prisma",
        "column User.name is nullable in the database, required in schema.prisma",
        "unique User(email) is in the database but not in schema.prisma",
        expect.stringMatching(/^foreign key Account\(userId\) -> User\(id\) ON DELETE Restrict ON UPDATE Cascade is in schema.prisma/),
      ]),
    );
  });

  it("reports what a migration has that schema.prisma does not", async () => {
    const scratch = await createTestDatabase({ empty: true });
    try {
      await migrate(scratch.url);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      await client.query(`ALTER TABLE "Setting" ADD COLUMN "note" TEXT`);
      await client.query(`DROP INDEX "AuditLog_at_idx"`);
      await client.end();
      const differences = diffSchemas(expectedFromPrismaSchema(schema), await actualFromDatabase(scratch.url));
      expect(differences).toEqual([
        "column Setting.note is in the database but not in schema.prisma",
        "index AuditLog(at) is in schema.prisma but not in the database",
      ]);
    } finally {
      await scratch.drop();
    }
  });
});
