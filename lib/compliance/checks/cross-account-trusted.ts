import type { RepositoryCheck } from "../types";
import { conditionAccounts, INVALID_POLICY_REASON, isAllow, parsePolicy, principalAccounts, statementLabel } from "./policy-document";
import { fail, manual, pass, unreadable } from "./result";

/**
 * AC-3 / IAM-01: every account an Allow of the repository policy names is the repository's own,
 * one of the organisation's, or a trusted account (spec/CONTROLS.md, cross-account-trusted).
 * Public principals are policy-not-public's to judge; here an account counts when a principal
 * names it, or when a condition confines a statement to it (aws:PrincipalAccount, aws:SourceArn, ...).
 */
export const crossAccountTrusted: RepositoryCheck = {
  id: "cross-account-trusted",
  scope: "repository",
  evaluate(repository, _registry, ctx) {
    const denied = unreadable(repository.readErrors, ["GetRepositoryPolicy"]);
    if (denied) return denied;
    const text = repository.repositoryPolicy;
    if (text === null) return pass("the repository has no policy, so it grants no other account", { policy: null });
    const parsed = parsePolicy(text);
    if (!parsed.ok) return manual(`the repository's ${INVALID_POLICY_REASON} (${parsed.error}), so the accounts it admits cannot be judged`, { policy: text.slice(0, 500), parseError: parsed.error });

    const trusted = new Set(ctx.settings.trustedAccounts);
    const named = new Set<string>();
    const outside = new Map<string, string[]>();
    for (const statement of parsed.statements) {
      if (!isAllow(statement) || statement.notPrincipal) continue;
      for (const account of [...principalAccounts(statement.principal), ...conditionAccounts(statement.condition)]) {
        named.add(account);
        if (account === repository.accountId || ctx.organizationAccountIds.has(account) || trusted.has(account)) continue;
        const labels = outside.get(account) ?? [];
        const label = statementLabel(statement);
        if (!labels.includes(label)) labels.push(label);
        outside.set(account, labels);
      }
    }
    const namedList = [...named];
    if (outside.size === 0) {
      if (namedList.length === 0) return pass("the repository policy's Allow statements name no account", { accounts: [] });
      const shown = namedList.slice(0, 5).join(", ") + (namedList.length > 5 ? ` and ${namedList.length - 5} more` : "");
      return pass(`every account the repository policy allows (${shown}) is the repository's own, the organisation's or trusted`, { accounts: namedList.slice(0, 10), accountCount: namedList.length });
    }
    const entries = [...outside.entries()];
    const shown = entries
      .slice(0, 3)
      .map(([account, labels]) => `${account} (${labels.join(", ")})`)
      .join(", ");
    const more = entries.length > 3 ? ` and ${entries.length - 3} more` : "";
    return fail(`the repository policy allows account${entries.length === 1 ? "" : "s"} ${shown}${more}, outside the organisation and the trusted accounts`, {
      outsideAccounts: entries.slice(0, 10).map(([account, statements]) => ({ account, statements })),
      outsideAccountCount: entries.length,
      trustedAccounts: ctx.settings.trustedAccounts.slice(0, 10),
    });
  },
};
