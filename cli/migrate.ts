import { migrate, MigrationError } from "@/lib/db/migrate";
import type { Env } from "@/lib/env";
import { CliError, parseCommandArgs } from "./args";
import { openDatabase } from "./database";

export const MIGRATE_HELP = `Usage: portwatch migrate

Applies the SQL migrations in prisma/migrations that the database does not have yet, each in
one transaction, recorded in Prisma's _prisma_migrations table. Uses DATABASE_URL, or the
embedded PostgreSQL when it is unset. serve and demo migrate on their own.`;

export async function applyMigrations(url: string, log: (line: string) => void): Promise<void> {
  try {
    const result = await migrate(url);
    if (result.applied.length) log(`Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`);
    else log(`Database is up to date (${result.alreadyApplied} migration(s)).`);
  } catch (error) {
    if (error instanceof MigrationError) throw new CliError(error.message);
    throw error;
  }
}

export async function migrateCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("migrate", argv, {});
  if (values.help) {
    console.log(MIGRATE_HELP);
    return 0;
  }
  const db = await openDatabase(env, console.log);
  try {
    await applyMigrations(db.url, console.log);
  } finally {
    await db.close();
  }
  return 0;
}
