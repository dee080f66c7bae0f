import type { RepositoryCheck } from "../types";
import { INVALID_LIFECYCLE_REASON, parseLifecyclePolicy } from "./lifecycle-rules";
import { fail, manual, pass, unreadable } from "./result";

/** ECR.3: the repository has a lifecycle policy with at least one rule (spec/CONTROLS.md, lifecycle-present). */
export const lifecyclePresent: RepositoryCheck = {
  id: "lifecycle-present",
  scope: "repository",
  evaluate(repository) {
    const denied = unreadable(repository.readErrors, ["GetLifecyclePolicy"]);
    if (denied) return denied;
    const text = repository.lifecyclePolicy;
    // No policy with no recorded failure is LifecyclePolicyNotFoundException: a fact.
    if (text === null) return fail("the repository has no lifecycle policy: images are never expired", { lifecyclePolicy: null });
    const parsed = parseLifecyclePolicy(text);
    if (!parsed.ok) return manual(`the ${INVALID_LIFECYCLE_REASON} (${parsed.error}), so its rules cannot be counted`, { lifecyclePolicy: text.slice(0, 500), parseError: parsed.error });
    const count = parsed.rules.length;
    if (count === 0) return fail("the repository's lifecycle policy has 0 rules: images are never expired", { ruleCount: 0 });
    return pass(`the repository's lifecycle policy has ${count} rule${count === 1 ? "" : "s"}`, {
      ruleCount: count,
      rulePriorities: parsed.rules.slice(0, 10).map((r) => r.rulePriority),
    });
  },
};
