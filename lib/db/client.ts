import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

let client: PrismaClient | undefined;
let connectedUrl: string | undefined;

export function createDb(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

/**
 * The process's database. The web app gets DATABASE_URL from `portwatch serve`/`demo` (which
 * start the embedded PostgreSQL when the user gave none); the CLI and tests call connectDatabase().
 */
export function getDb(): PrismaClient {
  if (client) return client;
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npx portwatch serve` or `npm run demo`");
  }
  client = createDb(url);
  return client;
}

/** The URL the process's database was opened with (connectDatabase's, else DATABASE_URL). */
export function databaseUrl(): string {
  const url = connectedUrl ?? env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npx portwatch serve` or `npm run demo`");
  return url;
}

export function connectDatabase(connectionString: string): PrismaClient {
  connectedUrl = connectionString;
  client = createDb(connectionString);
  return client;
}

export async function disconnectDb(): Promise<void> {
  await client?.$disconnect();
  client = undefined;
}
