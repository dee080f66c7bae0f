import { DescribeRegistryCommand, type ECRClient, GetRegistryPolicyCommand, GetRegistryScanningConfigurationCommand } from "@aws-sdk/client-ecr";
import { callAws, nullWhen, type RegionContext, tryCall } from "./clients";
import type { FailureMap, RegistryRecord, ReplicationRule, ScanRule } from "./types";

/**
 * One registry (account x region): its scanning configuration, its policy, and its replication
 * rules (which live in DescribeRegistry: ECR has no GetReplicationConfiguration).
 */

export const filtersOf = (filters: { filter?: string; filterType?: string }[] | undefined) =>
  (filters ?? []).map((f) => ({ filter: f.filter ?? "", filterType: f.filterType ?? "" }));

const NO_POLICY = ["RegistryPolicyNotFoundException"];

export async function collectRegistry(ctx: RegionContext, ecr: ECRClient): Promise<RegistryRecord> {
  const errors: FailureMap = {};
  const resource = `arn:aws:ecr:${ctx.region}:${ctx.accountId}:registry`;
  const [registry, scanning, policy] = await Promise.all([
    tryCall(ctx, errors, () => callAws(ctx, "ecr", "DescribeRegistry", resource, (o) => ecr.send(new DescribeRegistryCommand({}), o))),
    tryCall(ctx, errors, () => callAws(ctx, "ecr", "GetRegistryScanningConfiguration", resource, (o) => ecr.send(new GetRegistryScanningConfigurationCommand({}), o))),
    tryCall(ctx, errors, () =>
      nullWhen(NO_POLICY, () => callAws(ctx, "ecr", "GetRegistryPolicy", resource, (o) => ecr.send(new GetRegistryPolicyCommand({}), o), { expected: NO_POLICY })),
    ),
  ]);

  const scanRules: ScanRule[] | null = scanning
    ? (scanning.scanningConfiguration?.rules ?? []).map((r) => ({ scanFrequency: r.scanFrequency ?? "", repositoryFilters: filtersOf(r.repositoryFilters) }))
    : null;
  const replicationRules: ReplicationRule[] | null = registry
    ? (registry.replicationConfiguration?.rules ?? []).map((r) => ({
        destinations: (r.destinations ?? []).map((d) => ({ region: d.region ?? "", registryId: d.registryId ?? "" })),
        repositoryFilters: filtersOf(r.repositoryFilters),
      }))
    : null;
  return {
    accountId: ctx.accountId,
    region: ctx.region,
    scanType: scanning ? (scanning.scanningConfiguration?.scanType ?? null) : null,
    scanRules,
    registryPolicy: policy?.policyText ?? null,
    replicationRules,
    errors,
  };
}
