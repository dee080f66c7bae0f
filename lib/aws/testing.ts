import type { RunningSandbox } from "@/lib/sandbox/server";
import { baseCredentials } from "@/lib/sandbox/testing";
import { type ClientOptions, emptyStats, type RegionContext } from "./clients";
import { createRoleSessions, type RoleSessions, type RoleSessionsOptions } from "./credentials";
import { createRateLimiter, type RateLimiter } from "./rate-limit";

/**
 * For tests: collectors pointed at a running sandbox, with its static base credentials (never the
 * default chain, which would probe the instance-metadata address) and few attempts.
 */

export const sandboxClient = (sandbox: RunningSandbox, overrides: ClientOptions = {}): ClientOptions => ({ endpoint: sandbox.url, maxAttempts: 3, ...overrides });

export const memberRoleArn = (sandbox: RunningSandbox, accountId: string) => `arn:aws:iam::${accountId}:role/${sandbox.organization.memberRoleName}`;

export function sandboxSessions(sandbox: RunningSandbox, overrides: Partial<RoleSessionsOptions> = {}): RoleSessions {
  return createRoleSessions({ externalId: sandbox.organization.externalId, baseCredentials, client: sandboxClient(sandbox), ...overrides });
}

export function sandboxRegionContext(
  sandbox: RunningSandbox,
  sessions: RoleSessions,
  accountId: string,
  region: string,
  overrides: Partial<RegionContext> & { limiter?: RateLimiter } = {},
): RegionContext {
  return {
    accountId,
    region,
    credentials: sessions.provider(memberRoleArn(sandbox, accountId)),
    limiter: createRateLimiter(),
    stats: emptyStats(),
    failures: [],
    concurrency: 8,
    client: sandboxClient(sandbox),
    ...overrides,
  };
}
