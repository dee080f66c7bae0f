import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { baseCredentials } from "@/lib/sandbox/testing";
import { testConnection } from "./test-connection";
import { memberRoleArn, sandboxClient } from "./testing";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("faults", { seed: 8 }));
});
afterAll(() => sandbox.close());

const check = (accountId: string, externalId = sandbox.organization.externalId) =>
  testConnection({ roleArn: memberRoleArn(sandbox, accountId), externalId, regions: sandbox.organization.options.regions, baseCredentials, client: sandboxClient(sandbox) });

describe("testConnection", () => {
  it("assumes the role and reaches ECR in every region", async () => {
    const accountId = sandbox.organization.accounts[0].id;
    const result = await check(accountId);
    expect(result).toEqual({
      assumeRole: { ok: true, identityArn: `arn:aws:sts::${accountId}:assumed-role/PortwatchReadOnly/portwatch-${accountId}` },
      regions: sandbox.organization.options.regions.map((region) => ({ region, ok: true, operation: "ecr:DescribeRegistry" })),
    });
  });

  it("reports a region the account has not enabled, per region", async () => {
    const { accountId, region } = sandbox.organization.faults!.disabledRegion;
    const result = await check(accountId);
    expect(result.assumeRole.ok).toBe(true);
    const disabled = result.regions.find((r) => r.region === region)!;
    expect(disabled).toMatchObject({ ok: false, operation: "ecr:DescribeRegistry", failure: { accountId, region, kind: "region-disabled", errorName: "UnrecognizedClientException" } });
    expect(result.regions.filter((r) => r.region !== region).every((r) => r.ok)).toBe(true);
  });

  it("reports a refused AssumeRole, and tries no region", async () => {
    const { noRoleAccountId, wrongExternalIdAccountId } = sandbox.organization.faults!;
    for (const [accountId, externalId] of [[noRoleAccountId, undefined], [wrongExternalIdAccountId, undefined], [sandbox.organization.accounts[0].id, "pw-wrong"]] as const) {
      const result = await check(accountId, externalId);
      expect(result.regions).toEqual([]);
      expect(result.assumeRole).toMatchObject({ ok: false, failure: { accountId, service: "sts", operation: "AssumeRole", kind: "access-denied" } });
    }
  });
});
