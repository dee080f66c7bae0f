import type { RegistryCheck } from "../types";
import { monthlyUsd, storagePriceFor } from "@/lib/cost/pricing";
import { error, fail, gib, pass, unreadable, usdPerMonth } from "./result";

/**
 * COST-05: replication copies what it is told to. A rule without a repository filter copies every
 * repository of the registry to each destination, where it is stored (and billed) again.
 * Replication lives in DescribeRegistry: there is no GetReplicationConfiguration.
 */
export const selectiveReplication: RegistryCheck = {
  id: "selective-replication",
  scope: "registry",
  evaluate({ region, replicationRules: rules, storedBytes, readErrors }, _repositories, { settings }) {
    const failed = unreadable(readErrors, ["DescribeRegistry"], { region });
    if (failed) return failed;
    if (rules === null) return error(`The replication configuration of ${region} was not collected (no DescribeRegistry answer and no recorded failure)`, { region });
    const evidence = { region, rules: rules.slice(0, 10), ruleCount: rules.length };
    if (rules.length === 0) return pass(`No replication is configured in ${region}`, evidence);

    const unfiltered = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => !rule.repositoryFilters.some((f) => f.filterType === "PREFIX_MATCH"));
    if (unfiltered.length === 0) {
      const prefixes = [...new Set(rules.flatMap((r) => r.repositoryFilters.map((f) => f.filter)))];
      return pass(`Every replication rule in ${region} is limited by PREFIX_MATCH filters (${prefixes.slice(0, 10).join(", ")})`, evidence);
    }

    const destinations = [...new Map(unfiltered.flatMap(({ rule }) => rule.destinations).map((d) => [`${d.region}/${d.registryId}`, d])).values()];
    // Each copy is stored, and billed, at its destination region's price.
    const copies = destinations.map((d) => ({ ...d, storagePricePerGbMonth: storagePriceFor(d.region, settings), monthlyUsd: monthlyUsd(storedBytes, storagePriceFor(d.region, settings)) }));
    const total = copies.reduce((sum, c) => sum + c.monthlyUsd, 0);
    const ruleNumbers = unfiltered.map(({ index }) => index + 1).join(", ");
    const where = copies.map((c) => `${c.region} (${c.registryId}, ${usdPerMonth(c.monthlyUsd)})`).join(", ");
    return fail(
      `Replication rule${unfiltered.length > 1 ? "s" : ""} ${ruleNumbers} in ${region} ${unfiltered.length > 1 ? "have" : "has"} no repository filter: every repository (${gib(storedBytes)}) is copied to ${where}: about ${usdPerMonth(total)} of storage in all`,
      {
        ...evidence,
        unfilteredRules: unfiltered.map(({ index }) => index + 1),
        destinations: copies,
        storedBytes,
        monthlyUsd: total,
        estimated: true,
      },
    );
  },
};
