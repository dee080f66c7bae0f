import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { getRepositories } from "./ecr-model";
import { sandboxOptions } from "./options";
import { type RunningSandbox, startSandbox } from "./server";
import { assumeRole, clientConfig } from "./testing";

const started: RunningSandbox[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});
async function sandboxWith(...args: Parameters<typeof startSandbox>) {
  const s = await startSandbox(...args);
  started.push(s);
  return s;
}

describe("the sandbox server", () => {
  it("throttles past the bucket's burst with ThrottlingException, and counts it", async () => {
    let now = Date.parse("2026-11-01T12:00:00Z");
    const sandbox = await sandboxWith(sandboxOptions("demo", { seed: 4, throttle: true }), { clock: () => now });
    const account = sandbox.organization.accounts[0].id;
    const ecr = new ECRClient(clientConfig(sandbox, "us-east-1", await assumeRole(sandbox, account)));
    const [repo] = getRepositories(sandbox.organization, account, "us-east-1");
    // DescribeImages: 10 a second, bursts of 20 (lib/sandbox/throttle.ts).
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => ecr.send(new DescribeImagesCommand({ repositoryName: repo.name }))));
    const throttled = outcomes.filter((o) => o.status === "rejected");
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(20);
    expect(throttled).toHaveLength(5);
    expect((throttled[0] as PromiseRejectedResult).reason).toMatchObject({ name: "ThrottlingException" });
    // Another operation has its own bucket; time refills this one.
    await expect(ecr.send(new DescribeRepositoriesCommand({}))).resolves.toBeDefined();
    now += 1000;
    await expect(ecr.send(new DescribeImagesCommand({ repositoryName: repo.name }))).resolves.toBeDefined();

    const metrics = (await (await fetch(`${sandbox.url}/__sandbox/metrics`)).json()) as { calls: Record<string, number>; throttled: Record<string, number>; errors: Record<string, number> };
    expect(metrics.calls["ecr:DescribeImages"]).toBe(26);
    expect(metrics.throttled["ecr:DescribeImages"]).toBe(5);
    expect(metrics.errors["ecr:DescribeImages:ThrottlingException"]).toBe(5);
  });

  it("refuses an assumed session once it has expired", async () => {
    let now = Date.parse("2026-11-01T12:00:00Z");
    const sandbox = await sandboxWith(sandboxOptions("demo", { seed: 4 }), { clock: () => now });
    const credentials = await assumeRole(sandbox, sandbox.organization.accounts[0].id);
    const sts = new STSClient(clientConfig(sandbox, "us-east-1", credentials));
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    now += 3601 * 1000;
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "ExpiredTokenException" });
  });

  it("in the faults profile, answers some calls with a 500 that the SDK's retry recovers from", async () => {
    const sandbox = await sandboxWith(sandboxOptions("faults", { seed: 4 }));
    const account = sandbox.organization.accounts[0].id;
    const ecr = new ECRClient({ ...clientConfig(sandbox, "us-east-1", await assumeRole(sandbox, account)), maxAttempts: 3 });
    for (let i = 0; i < 110; i++) await ecr.send(new DescribeRepositoriesCommand({ maxResults: 1 }));
    const metrics = sandbox.metrics();
    expect(metrics.errors["ecr:DescribeRepositories:ServerException"]).toBeGreaterThanOrEqual(1);
  });

  it("answers unsigned, unknown-service and unknown-action requests as AWS does", async () => {
    const sandbox = await sandboxWith(sandboxOptions("demo", { seed: 4 }));
    const unsigned = await fetch(sandbox.url, { method: "POST", body: "Action=GetCallerIdentity" });
    expect(unsigned.status).toBe(403);
    const auth = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIAPORTWATCHSANDBOX/20261101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    const action = await fetch(sandbox.url, { method: "POST", headers: { Authorization: auth("sts"), "Content-Type": "application/x-www-form-urlencoded" }, body: "Action=AssumeRoleWithSAML&Version=2011-06-15" });
    expect(action.status).toBe(400);
    expect(await action.text()).toContain("<Code>InvalidAction</Code>");
    const service = await fetch(sandbox.url, { method: "POST", headers: { Authorization: auth("s3") }, body: "" });
    expect(service.status).toBe(400);
    // botocore names CloudTrail's target with its long prefix; the JS SDK with the short one.
    for (const target of ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails", "CloudTrail_20131101.DescribeTrails"]) {
      const trails = await fetch(sandbox.url, { method: "POST", headers: { Authorization: auth("cloudtrail"), "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1" }, body: "{}" });
      expect(trails.status, target).toBe(200);
      expect(await trails.json()).toHaveProperty("trailList");
    }
  });
});
