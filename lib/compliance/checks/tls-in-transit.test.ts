import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type ReadErrors, type RegistryFacts, type RepositoryFacts } from "../types";
import { registryTlsInTransit, tlsInTransit } from "./tls-in-transit";

const NOW = new Date("2026-11-01T00:00:00Z");
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };

function repo(overrides: Partial<RepositoryFacts> = {}): RepositoryFacts {
  return {
    arn: "arn:aws:ecr:us-east-1:111122223333:repository/team/api",
    accountId: "111122223333",
    region: "us-east-1",
    name: "team/api",
    createdAt: NOW,
    imageTagMutability: "IMMUTABLE",
    tagMutabilityExclusions: null,
    scanOnPush: false,
    scanFrequency: "SCAN_ON_PUSH",
    appliedScanFilters: [],
    encryptionType: "KMS",
    kmsKey: null,
    key: null,
    lifecyclePolicy: null,
    repositoryPolicy: null,
    tags: [],
    readErrors: {},
    images: [],
    ...overrides,
  };
}

function registry(overrides: Partial<RegistryFacts> = {}): RegistryFacts {
  return {
    accountId: "111122223333",
    region: "us-east-1",
    scanType: "BASIC",
    scanRules: [],
    registryPolicy: null,
    replicationRules: [],
    trails: [],
    guardDutyDetectors: [],
    vpcs: [],
    vpcEndpoints: [],
    inspectorCoverage: null,
    readErrors: {},
    storedBytes: 0,
    ...overrides,
  };
}

const denied = (operation: string): ReadErrors => ({ [operation]: { service: "ecr", operation, errorName: "AccessDeniedException", message: `not authorized to perform ecr:${operation}` } });
const policy = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const statement = (Sid: string, Effect: string, Condition?: unknown) => ({ Sid, Effect, Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "ecr:BatchGetImage", ...(Condition ? { Condition } : {}) });

const CASES: [string, string | null, string, RegExp][] = [
  ["no policy", null, "INHERITED", /every ECR endpoint is HTTPS only, and the .* has no policy/],
  ["a policy with no transport condition", policy(statement("Pull", "Allow")), "INHERITED", /no statement of the .* policy allows aws:SecureTransport false/],
  ["a Deny on aws:SecureTransport false (the good pattern)", policy(statement("DenyHttp", "Deny", { Bool: { "aws:SecureTransport": "false" } })), "INHERITED", /HTTPS only/],
  ["an Allow requiring aws:SecureTransport true", policy(statement("Https", "Allow", { Bool: { "aws:SecureTransport": "true" } })), "INHERITED", /HTTPS only/],
  ['an Allow with Bool aws:SecureTransport "false"', policy(statement("AllowPlainHttp", "Allow", { Bool: { "aws:SecureTransport": "false" } })), "FAIL", /explicitly allows requests with aws:SecureTransport false \(statement AllowPlainHttp\)/],
  ["an Allow with Bool aws:SecureTransport false (a JSON boolean)", policy(statement("Plain", "Allow", { Bool: { "aws:SecureTransport": false } })), "FAIL", /\(statement Plain\)/],
  ["an Allow with BoolIfExists, keys in another case", policy(statement("Plain", "Allow", { boolifexists: { "AWS:SecureTransport": ["false"] } })), "FAIL", /\(statement Plain\)/],
  ["a policy that is not JSON", "[", "MANUAL", /policy is not valid JSON/],
];

describe("tls-in-transit (repository)", () => {
  it.each(CASES)("%s -> %s", (_, text, status, reason) => {
    const result = tlsInTransit.evaluate(repo({ repositoryPolicy: text }), registry(), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("is ERROR when GetRepositoryPolicy failed", () => {
    const result = tlsInTransit.evaluate(repo({ readErrors: denied("GetRepositoryPolicy") }), registry(), ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/ecr:GetRepositoryPolicy failed with AccessDeniedException/);
  });
});

describe("tls-in-transit (registry)", () => {
  it.each(CASES)("%s -> %s", (_, text, status, reason) => {
    const result = registryTlsInTransit.evaluate(registry({ registryPolicy: text }), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.reason).toMatch(/registry/);
  });

  it("is ERROR when GetRegistryPolicy failed", () => {
    const result = registryTlsInTransit.evaluate(registry({ readErrors: denied("GetRegistryPolicy") }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/ecr:GetRegistryPolicy failed with AccessDeniedException/);
  });

  it("shares the repository check's id", () => {
    expect(registryTlsInTransit.id).toBe(tlsInTransit.id);
    expect(registryTlsInTransit.scope).toBe("registry");
  });
});
