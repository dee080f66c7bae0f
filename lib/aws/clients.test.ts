import { DescribeRegistryCommand, ECRClient } from "@aws-sdk/client-ecr";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { callAws, createClient, emptyStats } from "./clients";
import { AwsCallError } from "./errors";
import { createRateLimiter } from "./rate-limit";

const credentials = { accessKeyId: "AKIAEXAMPLE0000000000", secretAccessKey: "not-a-secret" };

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("createClient and callAws", () => {
  it("count every attempt, and turn a refused connection into an AwsCallError naming the call", async () => {
    const stats = emptyStats();
    const ecr = createClient(ECRClient, { region: "eu-west-1", credentials, endpoint: `http://127.0.0.1:${await closedPort()}`, maxAttempts: 2, stats });
    const ctx = { accountId: "111122223333", region: "eu-west-1", limiter: createRateLimiter(), stats };
    const error = await callAws(ctx, "ecr", "DescribeRegistry", undefined, (o) => ecr.send(new DescribeRegistryCommand({}), o)).catch((e: unknown) => e);
    ecr.destroy();
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).failure).toMatchObject({ accountId: "111122223333", region: "eu-west-1", service: "ecr", operation: "DescribeRegistry", errorName: "ECONNREFUSED", kind: "network" });
    // Connection refused is retried by the SDK: two attempts, one call failed for good.
    expect(stats).toEqual({ calls: 2, throttled: 0, failed: 1 });
  });

  it("does not count an expected answer (a fact such as 'no policy') as failed", async () => {
    const stats = emptyStats();
    const ctx = { accountId: "111122223333", region: "eu-west-1", limiter: createRateLimiter(), stats };
    const notFound = Object.assign(new Error("no policy"), { name: "RepositoryPolicyNotFoundException", $metadata: { httpStatusCode: 400 } });
    await expect(callAws(ctx, "ecr", "GetRepositoryPolicy", "arn:x", () => Promise.reject(notFound), { expected: ["RepositoryPolicyNotFoundException"] })).rejects.toMatchObject({
      failure: { errorName: "RepositoryPolicyNotFoundException", kind: "not-found", resource: "arn:x" },
    });
    expect(stats.failed).toBe(0);
  });
});
