import { describe, expect, it } from "vitest";
import type { RegistryFacts } from "../types";
import { checkContext, readErrors, registryFacts } from "./testing";
import { vpcEndpoints } from "./vpc-endpoints";

const ctx = checkContext();
type Endpoint = NonNullable<RegistryFacts["vpcEndpoints"]>[number];

const registry = (overrides: Partial<RegistryFacts> = {}) =>
  registryFacts({
    vpcs: [
      { vpcId: "vpc-default", isDefault: true },
      { vpcId: "vpc-apps", isDefault: false },
    ],
    ...overrides,
  });

let n = 0;
function endpoint(service: string, overrides: Partial<Endpoint> = {}): Endpoint {
  const type = service === "s3" ? "Gateway" : "Interface";
  return {
    vpcEndpointId: `vpce-${(n++).toString(16).padStart(8, "0")}`,
    vpcId: "vpc-apps",
    serviceName: `com.amazonaws.us-east-1.${service}`,
    type,
    state: "available",
    privateDnsEnabled: type === "Interface",
    ...overrides,
  };
}
const full = (vpcId = "vpc-apps") => [endpoint("ecr.api", { vpcId }), endpoint("ecr.dkr", { vpcId }), endpoint("s3", { vpcId })];
const failure = (operation: string) => readErrors(operation, "ec2", { errorName: "UnauthorizedOperation", message: `You are not authorized to perform this operation (${operation})` });

describe("vpc-endpoints", () => {
  it.each<[string, Endpoint[], RegExp]>([
    ["ecr.api, ecr.dkr and the S3 gateway in one VPC", full(), /VPC vpc-apps reaches ECR privately in us-east-1: ecr.api vpce-\w+, ecr.dkr vpce-\w+, s3 vpce-\w+/],
    ["the full set in one VPC, partial sets elsewhere", [endpoint("ecr.api", { vpcId: "vpc-default" }), ...full()], /VPC vpc-apps reaches ECR privately/],
    ["states as the SDK enum spells them", [endpoint("ecr.api", { state: "Available" }), endpoint("ecr.dkr", { state: "Available" }), endpoint("s3", { state: "Available" })], /vpc-apps/],
  ])("PASS: %s", (_, endpoints, reason) => {
    const result = vpcEndpoints.evaluate(registry({ vpcEndpoints: endpoints }), [], ctx);
    expect(result.status).toBe("PASS");
    expect(result.reason).toMatch(reason);
  });

  it.each<[string, Endpoint[], RegExp]>([
    ["no endpoints at all", [], /the closest, vpc-apps, lacks: no ecr.api interface endpoint; no ecr.dkr interface endpoint; no S3 gateway endpoint/],
    ["no ecr.dkr endpoint", [endpoint("ecr.api"), endpoint("s3")], /the closest, vpc-apps, lacks: no ecr.dkr interface endpoint$/],
    ["no ecr.api endpoint", [endpoint("ecr.dkr"), endpoint("s3")], /lacks: no ecr.api interface endpoint$/],
    ["ecr.dkr without private DNS", [endpoint("ecr.api"), endpoint("ecr.dkr", { vpcEndpointId: "vpce-nodns", privateDnsEnabled: false }), endpoint("s3")], /lacks: ecr.dkr endpoint vpce-nodns has private DNS disabled/],
    ["ecr.dkr pending acceptance", [endpoint("ecr.api"), endpoint("ecr.dkr", { vpcEndpointId: "vpce-pending", state: "pendingAcceptance" }), endpoint("s3")], /lacks: ecr.dkr endpoint vpce-pending is pendingAcceptance, not available/],
    ["ECR endpoints but no S3 endpoint", [endpoint("ecr.api"), endpoint("ecr.dkr")], /lacks: no S3 gateway endpoint$/],
    [
      "S3 through an interface endpoint instead of the gateway",
      [endpoint("ecr.api"), endpoint("ecr.dkr"), endpoint("s3", { vpcEndpointId: "vpce-s3if", type: "Interface", privateDnsEnabled: false })],
      /lacks: no S3 gateway endpoint \(S3 has only Interface endpoint vpce-s3if/,
    ],
    ["an S3 gateway endpoint that is not available", [endpoint("ecr.api"), endpoint("ecr.dkr"), endpoint("s3", { vpcEndpointId: "vpce-s3gw", state: "pending" })], /S3 gateway endpoint vpce-s3gw is pending/],
    [
      "the parts spread over two VPCs",
      [endpoint("ecr.api", { vpcId: "vpc-default" }), endpoint("ecr.dkr", { vpcId: "vpc-default" }), endpoint("s3")],
      /the closest, vpc-default \(default VPC\), lacks: no S3 gateway endpoint/,
    ],
    ["endpoints of another region's services", [endpoint("ecr.api", { serviceName: "com.amazonaws.us-west-2.ecr.api" }), endpoint("ecr.dkr"), endpoint("s3")], /lacks: no ecr.api interface endpoint$/],
  ])("FAIL: %s", (_, endpoints, reason) => {
    const result = vpcEndpoints.evaluate(registry({ vpcEndpoints: endpoints }), [], ctx);
    expect(result.status).toBe("FAIL");
    expect(result.reason).toMatch(reason);
  });

  it("NOT_APPLICABLE when the region has no VPC", () => {
    const result = vpcEndpoints.evaluate(registry({ vpcs: [] }), [], ctx);
    expect(result.status).toBe("NOT_APPLICABLE");
    expect(result.reason).toMatch(/No VPC in us-east-1/);
  });

  it.each([["DescribeVpcs"], ["DescribeVpcEndpoints"]])("ERROR when %s failed", (operation) => {
    const result = vpcEndpoints.evaluate(registry({ [operation === "DescribeVpcs" ? "vpcs" : "vpcEndpoints"]: null, readErrors: failure(operation) }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toContain(`ec2:${operation} failed with UnauthorizedOperation`);
  });

  it("ERROR when the endpoints were not collected and no failure says why", () => {
    const result = vpcEndpoints.evaluate(registry({ vpcEndpoints: null }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/VPC endpoints of us-east-1 were not collected/);
  });
});
