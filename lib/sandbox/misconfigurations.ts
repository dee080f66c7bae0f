import { getRegistry, getRepositories } from "./ecr-model";
import type { SandboxOrganization } from "./organization";

/**
 * Which generated resources fail which CONTROLS.md check, by construction: the evaluator's tests
 * compare its FAILs with this list. Resource ids follow DESIGN.md: a repository's ARN, or
 * `registry/<account>/<region>`.
 *
 * Registry-level services generate their state from the same flaws (CloudTrail, GuardDuty, VPC
 * endpoints); threshold-based checks (image-size, stale-images) are listed for the repositories
 * built to fail them at the default settings.
 */
export interface Misconfiguration {
  resource: string;
  accountId: string;
  region: string;
  check: string;
}

export function listMisconfigurations(org: SandboxOrganization): Misconfiguration[] {
  const out: Misconfiguration[] = [];
  for (const account of org.accounts) {
    if (account.status !== "ACTIVE") continue;
    for (const region of account.regions) {
      const registry = getRegistry(org, account.id, region);
      const repositories = getRepositories(org, account.id, region);
      const flaws = [...registry.flaws];
      // COST-06 also fails a production registry that leaves a repository unscanned (MANUAL): a
      // fact of its repositories, known only once they are generated.
      if (account.environment === "prod" && !flaws.includes("scan-cost-by-environment") && repositories.some((r) => r.traits.frequency === "MANUAL")) flaws.push("scan-cost-by-environment");
      for (const check of flaws) out.push({ resource: `registry/${account.id}/${region}`, accountId: account.id, region, check });
      for (const repo of repositories) {
        for (const check of repo.flaws) out.push({ resource: repo.arn, accountId: account.id, region, check });
      }
    }
  }
  return out;
}
