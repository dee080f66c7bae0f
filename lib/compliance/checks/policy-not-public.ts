import type { CheckResult, ReadErrors, RegistryCheck, RepositoryCheck } from "../types";
import { describeActions, hasRestrictingCondition, INVALID_POLICY_REASON, isAllow, isPublicPrincipal, parsePolicy, type PolicyStatement, statementLabel } from "./policy-document";
import { fail, manual, pass, unreadable } from "./result";

/**
 * AC-3 / IAM-01: no resource policy lets anyone in (spec/CONTROLS.md, policy-not-public), for the
 * repository policy and, as a second check with the same id, the registry policy.
 *
 * An Allow with NotPrincipal grants everyone but the principals listed: it counts as public.
 */

function publicStatement(statement: PolicyStatement): boolean {
  if (!isAllow(statement)) return false;
  const everyone = statement.notPrincipal || isPublicPrincipal(statement.principal);
  return everyone && !hasRestrictingCondition(statement.condition);
}

function evaluatePolicy(text: string | null, readErrors: ReadErrors, operation: string, subject: string): CheckResult {
  const denied = unreadable(readErrors, [operation]);
  if (denied) return denied;
  if (text === null) return pass(`the ${subject} has no policy`, { policy: null });
  const parsed = parsePolicy(text);
  if (!parsed.ok) return manual(`the ${subject}'s ${INVALID_POLICY_REASON} (${parsed.error}), so who it admits cannot be judged`, { policy: text.slice(0, 500), parseError: parsed.error });
  const open = parsed.statements.filter(publicStatement);
  if (open.length === 0) {
    return pass(`no Allow statement of the ${subject}'s policy (${parsed.statements.length} statement${parsed.statements.length === 1 ? "" : "s"}) admits a public principal without an account, organisation, source or VPC condition`, {
      statementCount: parsed.statements.length,
    });
  }
  const described = open.map((s) => `${statementLabel(s)} allows ${describeActions(s)} to ${s.notPrincipal ? "everyone but the NotPrincipal" : "everyone"}`);
  const shown = described.slice(0, 3).join("; ");
  const more = described.length > 3 ? `; and ${described.length - 3} more` : "";
  return fail(`the ${subject}'s policy is public: ${shown}${more}, with no restricting condition`, {
    publicStatements: open.slice(0, 10).map((s) => ({ sid: s.sid, index: s.index, actions: s.actions.slice(0, 10), notAction: s.notAction, notPrincipal: s.notPrincipal, condition: s.condition })),
    publicStatementCount: open.length,
  });
}

export const policyNotPublic: RepositoryCheck = {
  id: "policy-not-public",
  scope: "repository",
  evaluate: (repository) => evaluatePolicy(repository.repositoryPolicy, repository.readErrors, "GetRepositoryPolicy", "repository"),
};

export const registryPolicyNotPublic: RegistryCheck = {
  id: "policy-not-public",
  scope: "registry",
  evaluate: (registry) => evaluatePolicy(registry.registryPolicy, registry.readErrors, "GetRegistryPolicy", "registry"),
};
