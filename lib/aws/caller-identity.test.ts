import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "@/lib/sandbox/credentials";
import { collectCallerPrincipal, principalOf } from "./caller-identity";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo"));
});
afterAll(() => sandbox?.close());

describe("the principal a member role should trust", () => {
  it("is what STS says the base credentials are", async () => {
    const result = await collectCallerPrincipal({ client: { endpoint: sandbox.url }, credentials: { accessKeyId: BASE_ACCESS_KEY_ID, secretAccessKey: BASE_SECRET_ACCESS_KEY } });
    expect(result).toEqual({ principal: `arn:aws:iam::${sandbox.organization.managementAccountId}:user/portwatch` });
  });

  it("names an assumed role's role, not its session; a user as it is", () => {
    expect(principalOf("arn:aws:sts::123456789012:assumed-role/PortwatchCollector/i-0abc", "123456789012")).toBe("arn:aws:iam::123456789012:role/PortwatchCollector");
    expect(principalOf("arn:aws-us-gov:sts::123456789012:assumed-role/R/s", "123456789012")).toBe("arn:aws-us-gov:iam::123456789012:role/R");
    expect(principalOf("arn:aws:iam::123456789012:user/ci/portwatch", "123456789012")).toBe("arn:aws:iam::123456789012:user/ci/portwatch");
    expect(principalOf("arn:aws:iam::123456789012:root", "123456789012")).toBe("123456789012");
  });

  it("is a failure naming STS when there are no usable credentials", async () => {
    const result = await collectCallerPrincipal({ client: { endpoint: sandbox.url, maxAttempts: 1 }, credentials: { accessKeyId: "AKIANOTKNOWN", secretAccessKey: "x" } });
    expect(result).toMatchObject({ failure: { service: "sts", operation: "GetCallerIdentity" } });
  });
});
