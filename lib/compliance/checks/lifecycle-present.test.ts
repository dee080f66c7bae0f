import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { lifecyclePresent } from "./lifecycle-present";
import { checkContext, readErrors, repositoryFacts as repo } from "./testing";

const ctx = checkContext();
const registry = {} as RegistryFacts; // lifecycle-present reads nothing of the registry
const denied = readErrors("GetLifecyclePolicy");
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
