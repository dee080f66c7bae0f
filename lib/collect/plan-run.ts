import { collectOrganizationAccounts } from "@/lib/aws/collect-organization";
import { accountOfRoleArn } from "@/lib/aws/credentials";
import { isAwsCallError } from "@/lib/aws/errors";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { ensureExternalId, getCollectionAccounts, mergeOrganizationAccounts, setAwsAccountEnabled } from "@/lib/db/aws-accounts";
import { createTargets, failRun, type PlannedTarget, recordRunFailures, startQueuedRun, type TargetRow } from "@/lib/db/collection-targets";
import { getSettings } from "@/lib/db/settings";
import type { CollectorContext } from "./collector-context";

/**
 * Turns a queued run into targets: discovers accounts through Organizations (when configured and
 * the run is not limited to named accounts), then one target per enabled account x region, plus
 * the Cost Explorer target. Returns the targets in the order their jobs should be sent
 * (round-robin over accounts, so concurrent work spreads across accounts' rate limits), or null
 * when another worker planned the run first.
 */
export async function planRun(runId: number, context: CollectorContext): Promise<TargetRow[] | null> {
  const started = await startQueuedRun(runId);
  if (!started) return null;
  const scope = started.scope;
  const settings = await getSettings();

  if (settings.organizations && !scope.accountIds?.length) {
    try {
      const externalId = await ensureExternalId();
      const credentials = context.sessions(externalId).provider(settings.organizations.roleArn);
      const accounts = await collectOrganizationAccounts({ credentials });
      const merged = await mergeOrganizationAccounts(accounts, settings.organizations.memberRoleName, SYSTEM_ACTOR);
      // The management account is in ListAccounts too, but StackSets do not deploy the member
      // role there: added disabled, for an admin to enable once the role exists.
      const management = accountOfRoleArn(settings.organizations.roleArn);
      if (management && merged.added.includes(management)) await setAwsAccountEnabled(management, false, SYSTEM_ACTOR);
    } catch (error) {
      if (!isAwsCallError(error)) throw error;
      // The listed accounts are still collected; the run is partial and names why.
      await recordRunFailures(runId, [error.failure]);
    }
  }

  const accounts = await getCollectionAccounts({ accountIds: scope.accountIds });
  const byAccount = accounts.map((account) =>
    account.regions.filter((region) => !scope.regions?.length || scope.regions.includes(region)).map((region): PlannedTarget => ({ kind: "region", accountId: account.id, region })),
  );
  const planned: PlannedTarget[] = [];
  for (let i = 0; byAccount.some((regions) => i < regions.length); i++) {
    for (const regions of byAccount) if (i < regions.length) planned.push(regions[i]);
  }
  const costAccount = settings.costExplorer ? accountOfRoleArn(settings.costExplorer.roleArn) : undefined;
  if (costAccount && !scope.accountIds?.length && !scope.regions?.length) {
    // First: it is one slow, paced target and the rest can run beside it.
    planned.unshift({ kind: "cost", accountId: costAccount, region: "global" });
  }
  if (planned.length === 0) {
    const unknown = scope.accountIds?.filter((id) => !accounts.some((a) => a.id === id)) ?? [];
    await failRun(
      runId,
      unknown.length
        ? `no enabled account ${unknown.join(", ")}: add it on the Accounts page or in the accounts config`
        : scope.regions?.length
          ? `no enabled account collects ${scope.regions.join(", ")}`
          : "no enabled account to collect: add one on the Accounts page or in the accounts config",
    );
    return [];
  }
  return createTargets(runId, planned);
}
