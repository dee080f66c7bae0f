import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type ReadErrors, type RegistryFacts, type RepositoryFacts } from "../types";
import { lifecyclePresent } from "./lifecycle-present";

const NOW = new Date("2026-11-01T00:00:00Z");
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };
const registry = {} as RegistryFacts; // lifecycle-present reads nothing of the registry

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

const denied: ReadErrors = {
  GetLifecyclePolicy: { service: "ecr", operation: "GetLifecyclePolicy", errorName: "AccessDeniedException", message: "not authorized to perform ecr:GetLifecyclePolicy" },
};
const rule = (rulePriority: number) => ({ rulePriority, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } });

describe("lifecycle-present", () => {
  it.each<[string, Partial<RepositoryFacts>, string, RegExp]>([
    ["a policy with one rule", { lifecyclePolicy: JSON.stringify({ rules: [rule(1)] }) }, "PASS", /has 1 rule$/],
    ["a policy with two rules", { lifecyclePolicy: JSON.stringify({ rules: [rule(1), rule(2)] }) }, "PASS", /has 2 rules/],
    ["no policy", { lifecyclePolicy: null }, "FAIL", /no lifecycle policy/],
    ["a policy with zero rules", { lifecyclePolicy: JSON.stringify({ rules: [] }) }, "FAIL", /has 0 rules/],
    ["GetLifecyclePolicy denied", { lifecyclePolicy: null, readErrors: denied }, "ERROR", /ecr:GetLifecyclePolicy failed with AccessDeniedException/],
    ["a policy that is not JSON", { lifecyclePolicy: "{rules" }, "MANUAL", /lifecycle policy is not valid JSON/],
  ])("%s -> %s", (_, overrides, status, reason) => {
    const result = lifecyclePresent.evaluate(repo(overrides), registry, ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("gives the rule count as evidence", () => {
    expect(lifecyclePresent.evaluate(repo({ lifecyclePolicy: JSON.stringify({ rules: [rule(1), rule(2)] }) }), registry, ctx).evidence).toMatchObject({ ruleCount: 2, rulePriorities: [1, 2] });
  });
});
