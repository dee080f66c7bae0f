import type { CheckResult, ReadErrors, RegistryCheck, RepositoryCheck } from "../types";
import { INVALID_POLICY_REASON, isAllow, parsePolicy, type PolicyStatement, statementLabel } from "./policy-document";
import { fail, inherited, manual, unreadable } from "./result";

/**
 * SC-8: ECR's endpoints accept HTTPS only, so encryption in transit is the platform's (INHERITED),
 * unless a resource policy goes out of its way to allow requests with aws:SecureTransport false
 * (spec/CONTROLS.md, tls-in-transit). Checked on the repository policy and, as a second check with
 * the same id, on the registry policy.
 */

const INHERITED_REASON = "every ECR endpoint is HTTPS only";
// Operators under which `"aws:SecureTransport": "false"` admits a plain-HTTP request.
const ALLOWING_OPERATORS = new Set(["bool", "boolifexists", "stringequals", "stringequalsifexists", "stringequalsignorecase", "stringequalsignorecaseifexists", "foranyvalue:bool"]);

function allowsInsecureTransport(statement: PolicyStatement): boolean {
  if (!isAllow(statement) || !statement.condition) return false;
  for (const [operator, keys] of Object.entries(statement.condition)) {
    if (!ALLOWING_OPERATORS.has(operator.toLowerCase())) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() === "aws:securetransport" && values.some((v) => v.toLowerCase() === "false")) return true;
    }
  }
  return false;
}

function evaluatePolicy(text: string | null, readErrors: ReadErrors, operation: string, subject: string): CheckResult {
  const denied = unreadable(readErrors, [operation]);
  if (denied) return denied;
  if (text === null) return inherited(`${INHERITED_REASON}, and the ${subject} has no policy`, { policy: null });
  const parsed = parsePolicy(text);
  if (!parsed.ok) return manual(`the ${subject}'s ${INVALID_POLICY_REASON} (${parsed.error}), so whether it allows aws:SecureTransport false cannot be judged`, { policy: text.slice(0, 500), parseError: parsed.error });
  const insecure = parsed.statements.filter(allowsInsecureTransport);
  if (insecure.length === 0) return inherited(`${INHERITED_REASON}, and no statement of the ${subject}'s policy allows aws:SecureTransport false`, { statementCount: parsed.statements.length });
  const labels = insecure.map(statementLabel);
  return fail(`the ${subject}'s policy explicitly allows requests with aws:SecureTransport false (${labels.slice(0, 5).join(", ")}${labels.length > 5 ? ` and ${labels.length - 5} more` : ""})`, {
    insecureStatements: insecure.slice(0, 10).map((s) => ({ sid: s.sid, index: s.index, condition: s.condition })),
    insecureStatementCount: insecure.length,
  });
}

export const tlsInTransit: RepositoryCheck = {
  id: "tls-in-transit",
  scope: "repository",
  evaluate: (repository) => evaluatePolicy(repository.repositoryPolicy, repository.readErrors, "GetRepositoryPolicy", "repository"),
};

export const registryTlsInTransit: RegistryCheck = {
  id: "tls-in-transit",
  scope: "registry",
  evaluate: (registry) => evaluatePolicy(registry.registryPolicy, registry.readErrors, "GetRegistryPolicy", "registry"),
};
