import { describe, expect, it } from "vitest";
import { accountLimiter } from "./account-limiter";

describe("accountLimiter", () => {
  it("works at most N targets of one account at once, and other accounts beside them", async () => {
    const limit = accountLimiter(2);
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const order: string[] = [];
    const task = (account: string, id: number) =>
      limit(account, async () => {
        running.set(account, (running.get(account) ?? 0) + 1);
        peak.set(account, Math.max(peak.get(account) ?? 0, running.get(account)!));
        await new Promise((resolve) => setTimeout(resolve, 5));
        running.set(account, running.get(account)! - 1);
        order.push(`${account}${id}`);
        return id;
      });
    const results = await Promise.all([task("a", 1), task("a", 2), task("a", 3), task("a", 4), task("b", 1), task("b", 2)]);
    expect(results).toEqual([1, 2, 3, 4, 1, 2]);
    expect(peak.get("a")).toBe(2);
    expect(peak.get("b")).toBe(2);
    // b's targets did not wait behind a's queue.
    expect(order.indexOf("b1")).toBeLessThan(order.indexOf("a3"));
  });

  it("releases its place when a target fails", async () => {
    const limit = accountLimiter(1);
    await expect(limit("a", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit("a", async () => "next")).toBe("next");
  });
});
