import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter, DEFAULT_RATE, limit, OPERATION_RATES, rateFor } from "./rate-limit";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `n` acquisitions and reports which have resolved. */
function start(acquire: () => Promise<void>, n: number) {
  const done: boolean[] = Array(n).fill(false);
  const promises = done.map((_, i) => acquire().then(() => (done[i] = true)));
  return { done, promises };
}

describe("rateFor", () => {
  it("looks an operation up, then its service, then the default", () => {
    expect(rateFor("111122223333/us-east-1/ecr:DescribeImages", OPERATION_RATES, DEFAULT_RATE)).toEqual({ perSecond: 10, burst: 20 });
    expect(rateFor("management/global/ce:GetCostAndUsage", OPERATION_RATES, DEFAULT_RATE)).toEqual({ perSecond: 4.6, burst: 5 });
    expect(rateFor("111122223333/us-east-1/kms:DescribeKey", OPERATION_RATES, DEFAULT_RATE)).toEqual({ perSecond: 20, burst: 40 });
  });
});

describe("createRateLimiter", () => {
  it("lets a burst through at once, then one request per token as the bucket refills, in arrival order", async () => {
    const limiter = createRateLimiter({ rates: { "ecr:DescribeImages": { perSecond: 10, burst: 2 } } });
    const { done, promises } = start(() => limiter.acquire("a/r/ecr:DescribeImages"), 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([true, true, false, false]);
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toEqual([true, true, true, false]);
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toEqual([true, true, true, true]);
    await Promise.all(promises);
  });

  it("keeps a bucket per key: another account or region is not slowed", async () => {
    const limiter = createRateLimiter({ defaultRate: { perSecond: 1, burst: 1 } });
    const first = start(() => limiter.acquire("a/us-east-1/ecr:DescribeRegistry"), 2);
    const other = start(() => limiter.acquire("b/us-east-1/ecr:DescribeRegistry"), 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done).toEqual([true, false]);
    expect(other.done).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(first.done).toEqual([true, true]);
  });

  it("gives an aborted waiter's place back", async () => {
    const limiter = createRateLimiter({ defaultRate: { perSecond: 1, burst: 1 } });
    await limiter.acquire("k/r/s:Op");
    const controller = new AbortController();
    const aborted = limiter.acquire("k/r/s:Op", controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    const next = start(() => limiter.acquire("k/r/s:Op"), 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(next.done).toEqual([true]);
    await expect(limiter.acquire("k/r/s:Op", controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("limit", () => {
  it("runs at most n functions at once and passes results and errors through", async () => {
    const run = limit(2);
    let active = 0;
    let peak = 0;
    const task = (value: number) =>
      run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 10));
        active -= 1;
        if (value === 3) throw new Error("three");
        return value;
      });
    const results = Promise.allSettled([1, 2, 3, 4, 5].map(task));
    await vi.advanceTimersByTimeAsync(100);
    const settled = await results;
    expect(peak).toBe(2);
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message))).toEqual([1, 2, "three", 4, 5]);
    expect(() => limit(0)).toThrow(RangeError);
  });
});
