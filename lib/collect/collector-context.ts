import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { ClientOptions } from "@/lib/aws/clients";
import { createRoleSessions, type RoleSessions } from "@/lib/aws/credentials";
import { createRateLimiter, type RateLimiter } from "@/lib/aws/rate-limit";

/**
 * What one worker process shares across the targets it works: its identity, the pace of calls
 * per (account, region, operation), and the assumed-role sessions (cached and refreshed before
 * they expire, since a run can outlast a one-hour session).
 */
export interface CollectorContext {
  workerId: string;
  limiter: RateLimiter;
  /** Seconds between heartbeats; a target silent for three is taken over. */
  heartbeatSeconds: number;
  /** Repositories of one region read at once. */
  repositoryConcurrency: number;
  sessions(externalId: string): RoleSessions;
  /** Timeouts and retries of every AWS client this worker makes (the SDK's defaults otherwise). */
  client?: ClientOptions;
  close(): void;
}

export function createCollectorContext({ heartbeatSeconds, client }: { heartbeatSeconds: number; client?: ClientOptions }): CollectorContext {
  const byExternalId = new Map<string, RoleSessions>();
  const limiter = createRateLimiter();
  return {
    workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    limiter,
    heartbeatSeconds,
    repositoryConcurrency: 8,
    client,
    sessions(externalId) {
      let sessions = byExternalId.get(externalId);
      if (!sessions) {
        // Paced like every other call: a run starts by assuming a role in every account at once.
        sessions = createRoleSessions({ externalId, limiter, client });
        byExternalId.set(externalId, sessions);
      }
      return sessions;
    },
    close() {
      for (const sessions of byExternalId.values()) sessions.destroy();
      byExternalId.clear();
    },
  };
}
