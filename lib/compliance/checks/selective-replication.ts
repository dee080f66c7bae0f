import type { RegistryCheck } from "../types";
import { error, fail, gib, monthlyStorageUsd, pass, unreadable, usdPerMonth } from "./result";

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
    const perDestination = monthlyStorageUsd(storedBytes, settings.storagePricePerGbMonth);
    const total = perDestination * destinations.length;
    const ruleNumbers = unfiltered.map(({ index }) => index + 1).join(", ");
    const where = destinations.map((d) => `${d.region} (${d.registryId})`).join(", ");
    return fail(
      `Replication rule${unfiltered.length > 1 ? "s" : ""} ${ruleNumbers} in ${region} ${unfiltered.length > 1 ? "have" : "has"} no repository filter: every repository (${gib(storedBytes)}) is copied to ${where}, about ${usdPerMonth(perDestination)} of storage per destination (${usdPerMonth(total)} in all)`,
      {
        ...evidence,
        unfilteredRules: unfiltered.map(({ index }) => index + 1),
        destinations,
        storedBytes,
        storagePricePerGbMonth: settings.storagePricePerGbMonth,
        monthlyUsdPerDestination: perDestination,
        monthlyUsd: total,
        estimated: true,
      },
    );
  },
};
