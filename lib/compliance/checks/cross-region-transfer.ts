import type { AccountCheck } from "../types";
import { classifyUsageType } from "../usage-types";
import { error, fail, pass } from "./result";

/**
 * COST-04: ECR images pulled (or replicated) across regions pay inter-region transfer. Sums the
 * account's ECR usage types that name two regions (see usage-types.ts) over the window Cost
 * Explorer facts cover. USD, unblended; Cost Explorer marks its last days estimated, and so does
 * the evidence.
 */

const usd = (amount: number) => `$${amount.toFixed(2)}`;

export const crossRegionTransfer: AccountCheck = {
  id: "cross-region-transfer",
  scope: "account",
  evaluate({ accountId, cost }, { settings }) {
    if (cost.state === "not-configured") return error("Cost Explorer is not configured (no cost data)", { accountId, costState: cost.state });
    if (cost.state === "error") {
      return error(`ce:${cost.operation} failed with ${cost.errorName}: ${cost.message}`, {
        accountId,
        costState: cost.state,
        readError: { service: "ce", operation: cost.operation, errorName: cost.errorName, message: cost.message },
      });
    }

    const interRegion = cost.usageTypes.filter((u) => classifyUsageType(u.usageType) === "inter-region").sort((a, b) => b.amountUsd - a.amountUsd);
    const total = interRegion.reduce((sum, u) => sum + u.amountUsd, 0);
    const estimated = interRegion.some((u) => u.estimated);
    const threshold = settings.maxCrossRegionTransferUsd;
    const window = `${cost.from} to ${cost.to}`;
    const evidence = {
      accountId,
      from: cost.from,
      to: cost.to,
      windowDays: settings.crossRegionTransferDays,
      totalUsd: total,
      thresholdUsd: threshold,
      estimated,
      usageTypes: interRegion.slice(0, 10),
      usageTypeCount: interRegion.length,
    };
    const note = estimated ? " (partly estimated)" : "";
    if (total <= threshold) {
      return pass(`ECR inter-region data transfer cost ${usd(total)}${note} from ${window}, within the ${usd(threshold)} threshold`, evidence);
    }
    const top = interRegion
      .slice(0, 3)
      .map((u) => `${u.usageType} ${usd(u.amountUsd)}`)
      .join(", ");
    return fail(`ECR inter-region data transfer cost ${usd(total)}${note} from ${window}, above the ${usd(threshold)} threshold; largest: ${top}`, evidence);
  },
};
