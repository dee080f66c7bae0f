import { describe, expect, it } from "vitest";
import type { AccountCostFacts, AccountFacts } from "../types";
import { crossRegionTransfer } from "./cross-region-transfer";
import { ACCOUNT, checkContext } from "./testing";

const ctx = checkContext();

function account(cost: AccountCostFacts): AccountFacts {
  return { accountId: ACCOUNT, name: "payments-prod", environment: "prod", cost };
}

const read = (usageTypes: [string, number, boolean?][]): AccountCostFacts => ({
  state: "read",
  from: "2026-10-02",
  to: "2026-10-31",
  usageTypes: usageTypes.map(([usageType, amountUsd, estimated = false]) => ({ usageType, amountUsd, estimated })),
});

describe("cross-region-transfer", () => {
  it.each<[string, AccountCostFacts, string, RegExp]>([
    ["no ECR usage at all", read([]), "PASS", /cost \$0\.00 from 2026-10-02 to 2026-10-31, within the \$50\.00 threshold/],
    [
      "inter-region transfer below the threshold; storage and internet egress do not count",
      read([
        ["USE1-TimedStorage-ByteHrs", 400],
        ["USE1-DataTransfer-Out-Bytes", 300],
        ["USE1-DataTransfer-Regional-Bytes", 20],
        ["USE1-EU-AWS-Out-Bytes", 12.5],
        ["EU-USE1-AWS-In-Bytes", 0],
      ]),
      "PASS",
      /cost \$12\.50 from 2026-10-02 to 2026-10-31, within/,
    ],
    ["exactly at the threshold", read([["USE1-USW2-AWS-Out-Bytes", 50]]), "PASS", /\$50\.00 .* within the \$50\.00 threshold/],
    [
      "above the threshold, naming the largest usage types",
      read([
        ["USE1-EU-AWS-Out-Bytes", 40],
        ["EU-USE1-AWS-Out-Bytes", 25.25, true],
        ["USE1-TimedStorage-ByteHrs", 900],
      ]),
      "FAIL",
      /cost \$65\.25 \(partly estimated\) from 2026-10-02 to 2026-10-31, above the \$50\.00 threshold; largest: USE1-EU-AWS-Out-Bytes \$40\.00, EU-USE1-AWS-Out-Bytes \$25\.25/,
    ],
    ["Cost Explorer not configured", { state: "not-configured" }, "ERROR", /^Cost Explorer is not configured \(no cost data\)$/],
    [
      "the Cost Explorer read failed",
      { state: "error", operation: "GetCostAndUsage", errorName: "AccessDeniedException", message: "not authorized to perform ce:GetCostAndUsage" },
      "ERROR",
      /ce:GetCostAndUsage failed with AccessDeniedException/,
    ],
  ])("%s", (_, cost, status, reason) => {
    const result = crossRegionTransfer.evaluate(account(cost), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("uses the threshold setting and marks estimated amounts in the evidence", () => {
    const settings = { maxCrossRegionTransferUsd: 10 };
    const result = crossRegionTransfer.evaluate(account(read([["APS2-USE1-AWS-Out-Bytes", 12, true]])), checkContext({ settings }));
    expect(result.status).toBe("FAIL");
    expect(result.evidence).toMatchObject({ totalUsd: 12, thresholdUsd: 10, estimated: true, from: "2026-10-02", to: "2026-10-31", usageTypeCount: 1 });
  });
});
