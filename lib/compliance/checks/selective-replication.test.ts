import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type ReadError, type RegistryFacts, type ReplicationRule } from "../types";
import { selectiveReplication } from "./selective-replication";

const ctx: CheckContext = { now: new Date("2026-11-01T00:00:00Z"), settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };
const GIB = 1024 ** 3;

function registry(overrides: Partial<RegistryFacts> = {}): RegistryFacts {
  return {
    accountId: "111122223333",
    region: "us-east-1",
    scanType: "BASIC",
    scanRules: [],
    registryPolicy: null,
    replicationRules: [],
    trails: [],
    guardDutyDetectors: [],
    vpcs: [],
    vpcEndpoints: [],
    inspectorCoverage: null,
    readErrors: {},
    storedBytes: 25 * GIB,
    ...overrides,
  };
}

const to = (region: string, registryId = "111122223333") => ({ region, registryId });
const rule = (destinations: ReplicationRule["destinations"], prefixes: string[] = []): ReplicationRule => ({ destinations, repositoryFilters: prefixes.map((filter) => ({ filter, filterType: "PREFIX_MATCH" })) });
const failure: ReadError = { service: "ecr", operation: "DescribeRegistry", errorName: "AccessDeniedException", message: "not authorized to perform ecr:DescribeRegistry" };

describe("selective-replication", () => {
  it.each<[string, Partial<RegistryFacts>, string, RegExp]>([
    ["no replication", { replicationRules: [] }, "PASS", /No replication is configured in us-east-1/],
    ["every rule filtered by prefix", { replicationRules: [rule([to("eu-west-1")], ["platform"]), rule([to("us-west-2")], ["prod-", "shared/"])] }, "PASS", /PREFIX_MATCH filters \(platform, prod-, shared\/\)/],
    [
      "a rule without filters",
      { replicationRules: [rule([to("eu-west-1")])] },
      "FAIL",
      /Replication rule 1 in us-east-1 has no repository filter: every repository \(25\.00 GiB\) is copied to eu-west-1 \(111122223333\), about \$2\.50\/month of storage per destination \(\$2\.50\/month in all\)/,
    ],
    [
      "an unfiltered rule with two destinations beside a filtered one",
      { replicationRules: [rule([to("us-west-2")], ["platform"]), rule([to("eu-west-1"), to("ap-southeast-2", "444455556666")])] },
      "FAIL",
      /Replication rule 2 .* copied to eu-west-1 \(111122223333\), ap-southeast-2 \(444455556666\), about \$2\.50\/month .* \(\$5\.00\/month in all\)/,
    ],
    ["DescribeRegistry failed", { replicationRules: null, readErrors: { DescribeRegistry: failure } }, "ERROR", /ecr:DescribeRegistry failed with AccessDeniedException/],
    ["replication not collected and no failure recorded", { replicationRules: null }, "ERROR", /not collected/],
  ])("%s", (_, overrides, status, reason) => {
    const result = selectiveReplication.evaluate(registry(overrides), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("prices replicated storage with the storage price setting and marks it estimated", () => {
    const settings = { ...DEFAULT_COMPLIANCE_SETTINGS, storagePricePerGbMonth: 0.2 };
    const result = selectiveReplication.evaluate(registry({ replicationRules: [rule([to("eu-west-1")]), rule([to("eu-west-1")])] }), [], { ...ctx, settings });
    expect(result.status).toBe("FAIL");
    // Two unfiltered rules to the same destination store one copy there.
    expect(result.reason).toMatch(/Replication rules 1, 2 .* have no repository filter.*\$5\.00\/month of storage per destination \(\$5\.00\/month in all\)/);
    expect(result.evidence).toMatchObject({ monthlyUsd: 5, storedBytes: 25 * GIB, estimated: true });
  });
});
