import { describe, expect, it } from "vitest";
import { checkContext, policyText as policy, readErrors, registryFacts as registry, repositoryFacts as repo } from "./testing";
import { registryTlsInTransit, tlsInTransit } from "./tls-in-transit";

const ctx = checkContext();
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
    const result = tlsInTransit.evaluate(repo({ readErrors: readErrors("GetRepositoryPolicy") }), registry(), ctx);
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
    const result = registryTlsInTransit.evaluate(registry({ readErrors: readErrors("GetRegistryPolicy") }), [], ctx);
    expect(result.status).toBe("ERROR");
    expect(result.reason).toMatch(/ecr:GetRegistryPolicy failed with AccessDeniedException/);
  });

  it("shares the repository check's id", () => {
    expect(registryTlsInTransit.id).toBe(tlsInTransit.id);
    expect(registryTlsInTransit.scope).toBe("registry");
  });
});
