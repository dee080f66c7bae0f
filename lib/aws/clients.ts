import type { ECRClientConfig } from "@aws-sdk/client-ecr";
import { AwsCallError, classifyAwsError, toAwsFailure } from "./errors";
import type { RateLimiter } from "./rate-limit";
import type { AwsFailure, CallStats } from "./types";

/**
 * SDK v3 clients made one way for every service, and the one path every AWS call takes
 * (`callAws`): pace it, send it, and turn any error into an AwsCallError naming the call.
 */

/** What a client may be given as credentials: static keys or a provider (e.g. a role session). */
export type AwsCredentialsInput = NonNullable<ECRClientConfig["credentials"]>;
export type AwsCredentialIdentity = Exclude<AwsCredentialsInput, (...args: never[]) => unknown>;
export type AwsCredentialIdentityProvider = Extract<AwsCredentialsInput, (...args: never[]) => unknown>;

/** Client settings shared by every collector; the endpoint normally comes from AWS_ENDPOINT_URL* (the SDK reads it). */
export interface ClientOptions {
  /** Overrides the endpoint the SDK would resolve (tests point it at the sandbox). */
  endpoint?: string;
  /** Attempts per call, the first included; default 5 (SDK standard retry mode). */
  maxAttempts?: number;
  /** Milliseconds a request may wait for its answer; default 30 s. */
  requestTimeoutMs?: number;
  /** Milliseconds to open the connection; default 5 s. */
  connectionTimeoutMs?: number;
}

export interface CreateClientOptions extends ClientOptions {
  region: string;
  /** Absent: the SDK's default chain (environment, profile, container, instance metadata). */
  credentials?: AwsCredentialsInput;
  /** Counts every attempt and every throttled answer. */
  stats?: CallStats;
}

interface AwsClientConfig {
  region: string;
  credentials?: AwsCredentialsInput;
  endpoint?: string;
  maxAttempts: number;
  retryMode: "standard";
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
}

type Handler = (args: unknown) => Promise<unknown>;
interface StatsStack {
  add(middleware: (next: Handler) => Handler, options: { step: "deserialize"; name: string; priority: "high" }): void;
}

export const emptyStats = (): CallStats => ({ calls: 0, throttled: 0, failed: 0 });

export function addStats(total: CallStats, part: CallStats): void {
  total.calls += part.calls;
  total.throttled += part.throttled;
  total.failed += part.failed;
}

export function createClient<C extends { middlewareStack: unknown }>(Client: new (config: AwsClientConfig) => C, options: CreateClientOptions): C {
  const client = new Client({
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    // Standard, not adaptive: adaptive mode paces one client per throttled resource (STACK.md,
    // trap 6), and our rate limiter already paces per account, region and operation.
    retryMode: "standard",
    // throwOnRequestTimeout: without it the SDK's handler only logs a warning when the time is up
    // and goes on waiting, so an endpoint that stops answering would hold a target forever while
    // its worker's heartbeat kept it claimed (found by the stalled-network test).
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: options.connectionTimeoutMs ?? 5_000, throwOnRequestTimeout: true },
  });
  const stats = options.stats;
  if (stats) {
    // The deserialize step runs inside the retry middleware (finalizeRequest), once per attempt;
    // at high priority it wraps the deserializer, so it sees AWS's parsed error names.
    (client.middlewareStack as StatsStack).add(
      (next) => async (args) => {
        stats.calls += 1;
        try {
          return await next(args);
        } catch (error) {
          const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
          if (classifyAwsError(e.name ?? "", e.$metadata?.httpStatusCode, "") === "throttled") stats.throttled += 1;
          throw error;
        }
      },
      { step: "deserialize", name: "portwatchCallStats", priority: "high" },
    );
  }
  return client;
}

/** What the collectors of one account x region share. */
export interface RegionContext {
  accountId: string;
  region: string;
  /** The account's role session (createRoleSessions().provider(roleArn)) or static keys. */
  credentials: AwsCredentialsInput;
  /** Shared by every region of a collection run, so the pace holds across them. */
  limiter: RateLimiter;
  stats: CallStats;
  /** Every failure recorded while collecting this region. */
  failures: AwsFailure[];
  /** Repositories worked on at once. */
  concurrency: number;
  client?: ClientOptions;
  signal?: AbortSignal;
}

export interface CallOptions {
  /** AWS error names that are answers, not failures (LifecyclePolicyNotFoundException, ...): not counted as failed. */
  expected?: readonly string[];
  /** Paces under this key instead of `<account>/<region>/<service>:<operation>`. */
  limiterKey?: string;
}

/** The per-call options every SDK `send` takes. */
export interface SendOptions {
  abortSignal?: AbortSignal;
}

/**
 * Paces the call under `<account>/<region>/<service>:<operation>`, runs it (the SDK retries
 * inside), and throws any error as an AwsCallError naming the account, region, call and resource.
 */
export async function callAws<T>(
  ctx: Pick<RegionContext, "accountId" | "region" | "limiter" | "stats" | "signal">,
  service: string,
  operation: string,
  resource: string | undefined,
  fn: (options: SendOptions) => Promise<T>,
  { expected = [], limiterKey }: CallOptions = {},
): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      await ctx.limiter.acquire(limiterKey ?? `${ctx.accountId}/${ctx.region}/${service}:${operation}`, ctx.signal);
      return await fn(ctx.signal ? { abortSignal: ctx.signal } : {});
    } catch (error) {
      const failure = toAwsFailure(error, { accountId: ctx.accountId, region: ctx.region, service, operation, resource });
      if (failure.kind === "throttled" && round < THROTTLED_ROUNDS && !ctx.signal?.aborted) {
        await pause(throttledPauseMs(round));
        continue;
      }
      if (!expected.includes(failure.errorName)) ctx.stats.failed += 1;
      throw new AwsCallError(failure);
    }
  }
}

/**
 * Rounds of the SDK's own retries a throttled call gets. The SDK gives up on a call after its
 * attempts, and on every call of a client once a storm has drained its retry quota; a throttling
 * storm is weather, not an answer, so the call waits and goes round again before it is a failure.
 */
const THROTTLED_ROUNDS = 4;

/** 1, 2, 4, 8 s, each plus up to a second of jitter so throttled calls do not return together. */
export function throttledPauseMs(round: number, random: () => number = Math.random): number {
  return 1000 * 2 ** round + Math.floor(random() * 1000);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records a failure that left a field unknown: on the record's `errors` (by operation) and in the region's list. */
export function recordFailure(ctx: Pick<RegionContext, "failures">, errors: Partial<Record<string, AwsFailure>>, failure: AwsFailure): void {
  errors[failure.operation] = failure;
  ctx.failures.push(failure);
}

/** Runs a call whose failure leaves a field unknown: the failure is recorded and `undefined` comes back. */
export async function tryCall<T>(ctx: Pick<RegionContext, "failures">, errors: Partial<Record<string, AwsFailure>>, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error;
    recordFailure(ctx, errors, error.failure);
    return undefined;
  }
}

/** Turns a "not configured" answer (RepositoryPolicyNotFoundException, ...) into null: a fact, not a failure. */
export async function nullWhen<T>(errorNames: readonly string[], fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AwsCallError && errorNames.includes(error.failure.errorName)) return null;
    throw error;
  }
}
