import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRepositories } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collectRegion } from "./collect-region";
import type { RoleSessions } from "./credentials";
import { createRateLimiter, OPERATION_RATES } from "./rate-limit";
import { sandboxClient, sandboxRegionContext, sandboxSessions } from "./testing";

let sandbox: RunningSandbox;
let sessions: RoleSessions;
beforeAll(async () => {
  // 40 repositories a registry: more DescribeImages than the sandbox's burst of 20 allows at once.
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 1, throttle: true, reposPerAccount: 40, imagesPerRepo: 10 }));
  sessions = sandboxSessions(sandbox);
});
afterAll(async () => {
  sessions.destroy();
  await sandbox.close();
});

describe("collectRegion under throttling", () => {
  it("absorbs ThrottlingException with the SDK's retries: throttled answers counted, nothing failed", async () => {
    // A limiter far looser than the sandbox's rates, so the sandbox throttles and the retries must cope.
    const fast = { perSecond: 1000, burst: 1000 };
    const limiter = createRateLimiter({ defaultRate: fast, rates: Object.fromEntries(Object.keys(OPERATION_RATES).map((k) => [k, fast])) });
    const accountId = sandbox.organization.accounts[0].id;
    const ctx = sandboxRegionContext(sandbox, sessions, accountId, "us-east-1", { limiter, client: sandboxClient(sandbox, { maxAttempts: 8 }) });
    const collection = await collectRegion(ctx, { readManifests: false });

    expect(collection.repositories).toHaveLength(getRepositories(sandbox.organization, accountId, "us-east-1").length);
    expect(collection.repositories.length).toBeGreaterThan(20);
    expect(collection.stats.throttled).toBeGreaterThan(0);
    expect(collection.failures).toEqual([]);
    expect(collection.stats.failed).toBe(0);
    expect(collection.repositories.every((r) => r.images !== null)).toBe(true);
    // Every throttled answer the sandbox gave was seen (and retried) by the client.
    const throttled = Object.values(sandbox.metrics().throttled).reduce((a, b) => a + b, 0);
    expect(collection.stats.throttled).toBe(throttled);
  });
});
