import { describe, expect, it } from "vitest";
import { policyNotPublic, registryPolicyNotPublic } from "./policy-not-public";
import { checkContext, policyText as policy, readErrors, registryFacts as registry, repositoryFacts as repo } from "./testing";

const ctx = checkContext();
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const allow = (Principal: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "Pull", Effect: "Allow", Principal, Action: PULL, ...extra });

// The same cases on both scopes: [name, policy text, status, reason].
const CASES: [string, string | null, string, RegExp][] = [
  ["no policy", null, "PASS", /has no policy/],
  ["an Allow to an account", policy(allow({ AWS: "arn:aws:iam::222233334444:root" })), "PASS", /no Allow statement .* \(1 statement\) admits a public principal/],
  ["an Allow to * held to the organisation", policy(allow("*", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })), "PASS", /no Allow statement/],
  ["an Allow to * held to a source account", policy(allow({ AWS: "*" }, { Condition: { StringEquals: { "aws:SourceAccount": "222233334444" } } })), "PASS", /no Allow statement/],
  ["an Allow to * held to a VPC endpoint", policy(allow("*", { Condition: { StringEquals: { "aws:SourceVpce": "vpce-0abc" } } })), "PASS", /no Allow statement/],
  ["a Deny to *", policy({ Sid: "DenyAll", Effect: "Deny", Principal: "*", Action: "ecr:*" }), "PASS", /no Allow statement/],
  ["an Allow to a service", policy(allow({ Service: "codebuild.amazonaws.com" })), "PASS", /no Allow statement/],
  ["an Allow to *", policy(allow("*")), "FAIL", /policy is public: statement Pull allows ecr:BatchGetImage, ecr:GetDownloadUrlForLayer to everyone/],
  ['an Allow to {"AWS":"*"}', policy(allow({ AWS: "*" })), "FAIL", /statement Pull allows ecr:BatchGetImage/],
  ["an Allow to arn:aws:iam::*:root", policy(allow({ AWS: "arn:aws:iam::*:root" })), "FAIL", /statement Pull/],
  ["an Allow to arn:aws-us-gov:iam::*:root", policy(allow({ AWS: "arn:aws-us-gov:iam::*:root" })), "FAIL", /statement Pull/],
  ["an Allow to * held by a wildcard org id", policy(allow("*", { Condition: { StringLike: { "aws:PrincipalOrgID": "*" } } })), "FAIL", /statement Pull/],
  ["an Allow to * held by a negated condition", policy(allow("*", { Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } } })), "FAIL", /statement Pull/],
  ["an Allow to * held by an unrelated condition", policy(allow("*", { Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })), "FAIL", /statement Pull/],
  ["an unnamed public statement", policy({ Effect: "Allow", Principal: "*", NotAction: "ecr:DeleteRepository" }), "FAIL", /statement #1 allows every action but ecr:DeleteRepository to everyone/],
  ["an Allow with NotPrincipal", policy({ Sid: "AllBut", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::222233334444:root" }, Action: "ecr:*" }), "FAIL", /statement AllBut allows ecr:\* to everyone but the NotPrincipal/],
  ["a policy that is not JSON", "{Statement", "MANUAL", /policy is not valid JSON/],
];

describe("policy-not-public (repository)", () => {
  it.each(CASES)("%s -> %s", (_, text, status, reason) => {
    const result = policyNotPublic.evaluate(repo({ repositoryPolicy: text }), registry(), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.reason).toMatch(/repository/);
  });

  it("is ERROR when GetRepositoryPolicy failed", () => {
    const result = policyNotPublic.evaluate(repo({ readErrors: readErrors("GetRepositoryPolicy") }), registry(), ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/ecr:GetRepositoryPolicy failed with AccessDeniedException/);
  });

  it("gives the public statements as evidence", () => {
    const result = policyNotPublic.evaluate(repo({ repositoryPolicy: policy(allow("*")) }), registry(), ctx);
    expect(result.evidence).toMatchObject({ publicStatementCount: 1, publicStatements: [{ sid: "Pull", index: 0, actions: PULL }] });
  });
});

describe("policy-not-public (registry)", () => {
  it.each(CASES)("%s -> %s", (_, text, status, reason) => {
    const result = registryPolicyNotPublic.evaluate(registry({ registryPolicy: text }), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.reason).toMatch(/registry/);
  });

  it("is ERROR when GetRegistryPolicy failed", () => {
    const result = registryPolicyNotPublic.evaluate(registry({ readErrors: readErrors("GetRegistryPolicy") }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/ecr:GetRegistryPolicy failed with AccessDeniedException/);
  });

  it("shares the repository check's id", () => {
    expect(registryPolicyNotPublic.id).toBe(policyNotPublic.id);
    expect(registryPolicyNotPublic.scope).toBe("registry");
  });
});
