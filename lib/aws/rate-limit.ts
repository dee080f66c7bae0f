/**
 * Client-side pacing, so a collection of a whole organisation stays under AWS's request rates
 * instead of leaning on retries: a token bucket per key, and a small concurrency limiter.
 *
 * Keys are `<account>/<region>/<service>:<operation>` (AWS throttles per account, region and
 * API); the rate is looked up by `<service>:<operation>`, then `<service>:*`, then the default.
 *
 * Assumed rates, in requests per second with a burst: AWS publishes no request-rate quota for
 * most of these read calls (ECR's Service Quotas list a few, such as BatchGetImage, far above what
 * a collector needs). These are our assumption of what a busy account sees, the same numbers the
 * sandbox throttles at (lib/sandbox/throttle.ts), written down rather than guessed silently.
 */

export interface Rate {
  perSecond: number;
  burst: number;
}

export const DEFAULT_RATE: Rate = { perSecond: 20, burst: 40 };

export const OPERATION_RATES: Readonly<Record<string, Rate>> = {
  "ecr:DescribeImages": { perSecond: 10, burst: 20 },
  "ecr:DescribeImageScanFindings": { perSecond: 10, burst: 20 },
  "ecr:BatchGetImage": { perSecond: 20, burst: 40 },
  // Cost Explorer: every request costs USD 0.01. Paced a little under the assumed 5 a second with
  // a small burst, so parallel queries do not race AWS's own bucket into throttling.
  "ce:*": { perSecond: 4.6, burst: 5 },
  "organizations:ListAccounts": { perSecond: 2, burst: 4 },
  "sts:AssumeRole": { perSecond: 20, burst: 40 },
};

export interface RateLimiter {
  /** Resolves when a request under `key` may be sent; rejects when `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
}

export interface RateLimiterOptions {
  /** Replaces entries of OPERATION_RATES (by `<service>:<operation>` or `<service>:*`). */
  rates?: Record<string, Rate>;
  defaultRate?: Rate;
  /** Milliseconds; tests pass a fake clock. */
  now?: () => number;
}

export function rateFor(key: string, rates: Readonly<Record<string, Rate>>, defaultRate: Rate): Rate {
  const operation = key.slice(key.lastIndexOf("/") + 1);
  const service = operation.split(":")[0];
  return rates[operation] ?? rates[`${service}:*`] ?? defaultRate;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Token buckets that may go negative: a caller takes its token at once and waits until the
 * bucket would have refilled to it, so waiters are served in arrival order with no queue.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const rates = { ...OPERATION_RATES, ...options.rates };
  const defaultRate = options.defaultRate ?? DEFAULT_RATE;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    async acquire(key, signal) {
      if (signal?.aborted) throw abortError(signal);
      const rate = rateFor(key, rates, defaultRate);
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: rate.burst, at: t };
      bucket.tokens = Math.min(rate.burst, bucket.tokens + ((t - bucket.at) / 1000) * rate.perSecond);
      bucket.at = t;
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      if (bucket.tokens >= 0) return;
      try {
        await sleep((-bucket.tokens / rate.perSecond) * 1000, signal);
      } catch (error) {
        // An aborted waiter gives its place back.
        bucket.tokens += 1;
        throw error;
      }
    },
  };
}

/** Runs at most `concurrency` of the functions handed to it at a time, in order of arrival. */
export function limit(concurrency: number): <T>(fn: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) {
      active += 1;
      next();
    }
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < concurrency) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
