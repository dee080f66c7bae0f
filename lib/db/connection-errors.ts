/** Turns a PostgreSQL connection failure into one line naming the server and what to do. */
export function describeConnectionError(error: unknown, url: string): string {
  let where = "the database";
  try {
    const u = new URL(url);
    where = `PostgreSQL at ${u.hostname}:${u.port || "5432"}${u.pathname !== "/" ? ` (database ${decodeURIComponent(u.pathname.slice(1))})` : ""}`;
  } catch {
    // keep the generic wording; the URL itself may hold a password, so it is never printed
  }
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
      return `cannot connect to ${where}: connection refused (is the server running? check DATABASE_URL)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot connect to ${where}: the host name does not resolve (check DATABASE_URL)`;
    case "ETIMEDOUT":
      return `cannot connect to ${where}: timed out (check DATABASE_URL and the network)`;
    case "28P01":
    case "28000":
      return `cannot connect to ${where}: the server refused the user name or password in DATABASE_URL`;
    case "3D000":
      return `cannot connect to ${where}: that database does not exist (create it, or fix DATABASE_URL)`;
    default:
      return `cannot connect to ${where}: ${(e.message ?? String(error)).split("\n")[0]}`;
  }
}

/** Node socket codes and PostgreSQL SQLSTATEs that mean the connection, not the query, failed. */
const CONNECTION_LOST_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  // admin_shutdown, crash_shutdown, cannot_connect_now: the server is stopping or starting.
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * Whether an error says the database went away (a restart, a failover, the network), so that
 * retrying later is right, rather than a query or a bug.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === "string" && (CONNECTION_LOST_CODES.has(e.code) || e.code.startsWith("08"))) return true;
  return typeof e.message === "string" && /Connection terminated|connection is closed|Client has encountered a connection error|Can't reach database server/i.test(e.message);
}
