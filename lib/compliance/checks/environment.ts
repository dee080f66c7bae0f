import type { CheckContext, RepositoryFacts } from "../types";
import { matchesWildcard } from "./wildcard";

/**
 * A repository's environment for COST-06 (scan-cost-by-environment): the account's environment
 * first, then the repository's environment tag, then the name patterns (settings). A value that
 * names neither prod nor dev (staging, shared, unknown) says nothing and the next source decides.
 */

export type RepositoryEnvironment = "prod" | "dev" | "other";

export interface EnvironmentFinding {
  environment: RepositoryEnvironment;
  source: "account" | "tag" | "name" | "none";
  /** What the source said: the account's or the tag's value, or the pattern that matched. */
  value: string | null;
}

const ALIASES: ReadonlyMap<string, "prod" | "dev"> = new Map([
  ["prod", "prod"],
  ["production", "prod"],
  ["prd", "prod"],
  ["dev", "dev"],
  ["development", "dev"],
  ["sandbox", "dev"],
  ["test", "dev"],
  ["testing", "dev"],
]);

export function environmentOfValue(value: string | null | undefined): "prod" | "dev" | null {
  if (!value) return null;
  return ALIASES.get(value.trim().toLowerCase()) ?? null;
}

export function findRepositoryEnvironment(repo: Pick<RepositoryFacts, "accountId" | "name" | "tags">, ctx: Pick<CheckContext, "settings" | "accountEnvironments">): EnvironmentFinding {
  const account = ctx.accountEnvironments.get(repo.accountId) ?? null;
  const fromAccount = environmentOfValue(account);
  if (fromAccount) return { environment: fromAccount, source: "account", value: account };

  const { tagKey, prodNamePatterns, devNamePatterns } = ctx.settings.environment;
  // Tag keys are case-sensitive in AWS, but teams write Environment and environment alike.
  const wanted = tagKey.toLowerCase();
  for (const tag of repo.tags ?? []) {
    if (tag.key.toLowerCase() !== wanted) continue;
    const fromTag = environmentOfValue(tag.value);
    if (fromTag) return { environment: fromTag, source: "tag", value: tag.value };
  }

  // prod first: a name matching both is held to the stricter rule (it must be scanned).
  for (const pattern of prodNamePatterns) if (matchesWildcard(repo.name, pattern)) return { environment: "prod", source: "name", value: pattern };
  for (const pattern of devNamePatterns) if (matchesWildcard(repo.name, pattern)) return { environment: "dev", source: "name", value: pattern };
  return { environment: "other", source: "none", value: null };
}

export function repositoryEnvironment(repo: Pick<RepositoryFacts, "accountId" | "name" | "tags">, ctx: Pick<CheckContext, "settings" | "accountEnvironments">): RepositoryEnvironment {
  return findRepositoryEnvironment(repo, ctx).environment;
}
