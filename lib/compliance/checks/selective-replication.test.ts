import { describe, expect, it } from "vitest";
import type { RegistryFacts, ReplicationRule } from "../types";
import { selectiveReplication } from "./selective-replication";
import { ACCOUNT, checkContext, GIB, readErrors, registryFacts } from "./testing";

const ctx = checkContext();
const registry = (overrides: Partial<RegistryFacts> = {}) => registryFacts({ storedBytes: 25 * GIB, ...overrides });

const to = (region: string, registryId = ACCOUNT) => ({ region, registryId });
const rule = (destinations: ReplicationRule["destinations"], prefixes: string[] = []): ReplicationRule => ({ destinations, repositoryFilters: prefixes.map((filter) => ({ filter, filterType: "PREFIX_MATCH" })) });

describe("selective-replication", () => {
  it.each<[string, Partial<RegistryFacts>, string, RegExp]>([
    ["no replication", { replicationRules: [] }, "PASS", /No replication is configured in us-east-1/],
    ["every rule filtered by prefix", { replicationRules: [rule([to("eu-west-1")], ["platform"]), rule([to("us-west-2")], ["prod-", "shared/"])] }, "PASS", /PREFIX_MATCH filters \(platform, prod-, shared\/\)/],
    [
      "a rule without filters",
      { replicationRules: [rule([to("eu-west-1")])] },
      "FAIL",
      /Replication rule 1 in us-east-1 has no repository filter: every repository \(25\.00 GiB\) is copied to eu-west-1 \(111122223333, \$2\.50\/month\): about \$2\.50\/month of storage in all/,
    ],
    [
      "an unfiltered rule with two destinations beside a filtered one",
      { replicationRules: [rule([to("us-west-2")], ["platform"]), rule([to("eu-west-1"), to("ap-southeast-2", "444455556666")])] },
      "FAIL",
      /Replication rule 2 .* copied to eu-west-1 \(111122223333, \$2\.50\/month\), ap-southeast-2 \(444455556666, \$2\.50\/month\): about \$5\.00\/month of storage in all/,
    ],
    ["DescribeRegistry failed", { replicationRules: null, readErrors: readErrors("DescribeRegistry") }, "ERROR", /ecr:DescribeRegistry failed with AccessDeniedException/],
    ["replication not collected and no failure recorded", { replicationRules: null }, "ERROR", /not collected/],
  ])("%s", (_, overrides, status, reason) => {
    const result = selectiveReplication.evaluate(registry(overrides), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("prices each copy at its destination region's storage price and marks it estimated", () => {
    const settings = { storagePricePerGbMonth: 0.2, regionStoragePrices: { "ap-southeast-2": 0.3 } };
    const result = selectiveReplication.evaluate(registry({ replicationRules: [rule([to("eu-west-1")]), rule([to("eu-west-1"), to("ap-southeast-2")])] }), [], checkContext({ settings }));
    expect(result.status).toBe("FAIL");
    // Two unfiltered rules to the same destination store one copy there.
    expect(result.reason).toMatch(/Replication rules 1, 2 .* have no repository filter.*eu-west-1 \(111122223333, \$5\.00\/month\), ap-southeast-2 \(111122223333, \$7\.50\/month\): about \$12\.50\/month of storage in all/);
    expect(result.evidence).toMatchObject({ monthlyUsd: 12.5, storedBytes: 25 * GIB, estimated: true });
  });
});
