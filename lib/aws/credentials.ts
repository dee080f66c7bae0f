import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type AwsCredentialsInput,
  type ClientOptions,
  callAws,
  createClient,
  emptyStats,
} from "./clients";
import { AwsCallError } from "./errors";
import { createRateLimiter, type RateLimiter } from "./rate-limit";
import type { CallStats } from "./types";

/**
 * Role sessions into member accounts: STS AssumeRole with the installation's ExternalId, from the
 * base identity (the SDK's default chain unless one is given). Sessions are cached per role ARN,
 * one AssumeRole is shared by concurrent callers, and a session is renewed 5 minutes before it
 * expires. Keys are never logged: a failure carries AWS's error name and message only.
 */

/** Renew this long before `Expiration` (the SDK's own identity cache uses the same margin). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** One hour: the most a member role's MaxSessionDuration is sure to allow. */
export const SESSION_SECONDS = 3600;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/;

export interface RoleSession {
  credentials: AwsCredentialIdentity & { expiration: Date };
  /** arn:aws:sts::<account>:assumed-role/<role>/<session>, as STS reports it. */
  assumedRoleArn: string;
}

export interface RoleSessionsOptions {
  externalId: string;
  /** Absent: the SDK's default credential chain. */
  baseCredentials?: AwsCredentialsInput;
  /** Region of the STS endpoint; default us-east-1. */
  stsRegion?: string;
  /** RoleSessionName for an account (made safe for STS); default `portwatch-<account>`. */
  sessionName?: (accountId: string) => string;
  client?: ClientOptions;
  limiter?: RateLimiter;
  stats?: CallStats;
  /** Milliseconds; tests pass the sandbox's clock. */
  now?: () => number;
}

export interface RoleSessions {
  /** Assumes the role (or returns the cached session): throws AwsCallError (sts AssumeRole). */
  assume(roleArn: string): Promise<RoleSession>;
  /** A credentials provider for SDK clients acting through the role. */
  provider(roleArn: string): AwsCredentialIdentityProvider;
  /**
   * Drops the cached session: AWS refused it as expired before the time it said it would expire
   * (a clock running slow, a session revoked), so the next call assumes the role again.
   */
  forget(roleArn: string): void;
  /** Closes the STS client's connections. */
  destroy(): void;
}

/** STS allows 2-64 characters of [\w+=,.@-]. */
export function safeSessionName(name: string): string {
  const cleaned = name.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

export function accountOfRoleArn(roleArn: string): string | undefined {
  return ROLE_ARN.exec(roleArn)?.[1];
}

export function createRoleSessions(options: RoleSessionsOptions): RoleSessions {
  const stsRegion = options.stsRegion ?? "us-east-1";
  const now = options.now ?? Date.now;
  const limiter = options.limiter ?? createRateLimiter();
  const stats = options.stats ?? emptyStats();
  const sessionName = options.sessionName ?? ((accountId: string) => `portwatch-${accountId}`);
  let sts: STSClient | undefined;
  const cache = new Map<string, RoleSession>();
  const inFlight = new Map<string, Promise<RoleSession>>();

  async function assumeNow(roleArn: string): Promise<RoleSession> {
    const accountId = accountOfRoleArn(roleArn) ?? "unknown";
    sts ??= createClient(STSClient, { ...options.client, region: stsRegion, credentials: options.baseCredentials, stats });
    const client = sts;
    const ctx = { accountId, region: stsRegion, limiter, stats };
    const input = { RoleArn: roleArn, RoleSessionName: safeSessionName(sessionName(accountId)), ExternalId: options.externalId, DurationSeconds: SESSION_SECONDS };
    // STS paces AssumeRole per calling account (the base identity), not per target account.
    const out = await callAws(ctx, "sts", "AssumeRole", roleArn, (send) => client.send(new AssumeRoleCommand(input), send), { limiterKey: `base/${stsRegion}/sts:AssumeRole` });
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new AwsCallError({ accountId, region: stsRegion, service: "sts", operation: "AssumeRole", resource: roleArn, errorName: "IncompleteCredentials", message: "STS answered AssumeRole without a complete set of credentials", kind: "other" });
    }
    return {
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration },
      assumedRoleArn: out.AssumedRoleUser?.Arn ?? "",
    };
  }

  async function assume(roleArn: string): Promise<RoleSession> {
    const cached = cache.get(roleArn);
    if (cached && cached.credentials.expiration.getTime() - now() > REFRESH_BEFORE_MS) return cached;
    const pending = inFlight.get(roleArn);
    if (pending) return pending;
    const promise = assumeNow(roleArn)
      .then((session) => {
        cache.set(roleArn, session);
        return session;
      })
      .finally(() => inFlight.delete(roleArn));
    inFlight.set(roleArn, promise);
    return promise;
  }

  return {
    assume,
    provider: (roleArn) => async () => (await assume(roleArn)).credentials,
    forget: (roleArn) => {
      cache.delete(roleArn);
    },
    destroy: () => sts?.destroy(),
  };
}
