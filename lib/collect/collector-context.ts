import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
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
  close(): void;
}

export function createCollectorContext({ heartbeatSeconds }: { heartbeatSeconds: number }): CollectorContext {
  const byExternalId = new Map<string, RoleSessions>();
  const limiter = createRateLimiter();
  return {
    workerId: `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
    limiter,
    heartbeatSeconds,
    repositoryConcurrency: 8,
    sessions(externalId) {
      let sessions = byExternalId.get(externalId);
      if (!sessions) {
        // Paced like every other call: a run starts by assuming a role in every account at once.
        sessions = createRoleSessions({ externalId, limiter });
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
