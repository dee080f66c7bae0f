import { describe, expect, it } from "vitest";
import { generateExternalId } from "./external-id";
import { buildMemberTrustPolicy, memberPermissionsPolicyJson, memberTrustPolicyJson, permissionsSummary, PORTWATCH_PRINCIPAL_PLACEHOLDER } from "./trust-policy";

describe("member role trust policy", () => {
  it("trusts one principal, and only with the installation's external id", () => {
    const policy = buildMemberTrustPolicy({ externalId: "pw-abc", principal: "123456789012" });
    expect(policy.Statement).toEqual([
      {
        Sid: "PortwatchAssumeRole",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "pw-abc" } },
      },
    ]);
  });

  it("uses a placeholder when Portwatch's own account is not known, and never a wildcard", () => {
    expect(JSON.parse(memberTrustPolicyJson({ externalId: "pw-abc" })).Statement[0].Principal).toEqual({ AWS: PORTWATCH_PRINCIPAL_PLACEHOLDER });
    expect(buildMemberTrustPolicy({ externalId: "x1", principal: "arn:aws:iam::123456789012:role/portwatch" }).Statement[0].Principal.AWS).toBe(
      "arn:aws:iam::123456789012:role/portwatch",
    );
    expect(() => buildMemberTrustPolicy({ externalId: "x1", principal: "*" })).toThrow(/not an account id/);
    expect(() => buildMemberTrustPolicy({ externalId: "x1", principal: "arn:aws:iam::123456789012:role/*" })).toThrow(/not an account id/);
  });

  it("lists ecr:BatchGetImage as optional, apart from the actions the collector needs", () => {
    const ecr = permissionsSummary().find((line) => line.startsWith("Amazon ECR:"))!;
    expect(ecr).toMatch(/; optionally ecr:BatchGetImage \(image manifests only\)/);
    expect(ecr.split("; optionally")[0]).not.toContain("BatchGetImage");
  });

  it("grants only read actions", () => {
    const actions: string[] = JSON.parse(memberPermissionsPolicyJson()).Statement[0].Action;
    expect(actions.length).toBeGreaterThan(10);
    for (const action of actions) expect(action).toMatch(/^[a-z0-9]+:(Describe|Get|List|BatchGet)[A-Za-z]+$/);
  });
});

describe("external id", () => {
  it("is pw- and 20 hex characters, different each time", () => {
    const a = generateExternalId();
    expect(a).toMatch(/^pw-[0-9a-f]{20}$/);
    expect(generateExternalId()).not.toBe(a);
  });
});
