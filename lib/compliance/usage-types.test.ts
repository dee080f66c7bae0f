import { describe, expect, it } from "vitest";
import { classifyUsageType, type UsageTypeKind } from "./usage-types";

describe("classifyUsageType", () => {
  it.each<[string, UsageTypeKind]>([
    // Storage, with and without the region code (no code: us-east-1).
    ["USE1-TimedStorage-ByteHrs", "storage"],
    ["TimedStorage-ByteHrs", "storage"],
    ["EU-TimedStorage-ByteHrs", "storage"],
    ["APN1-TimedStorage-ByteHrs", "storage"],
    // To the internet.
    ["USE1-DataTransfer-Out-Bytes", "internet-out"],
    ["DataTransfer-Out-Bytes", "internet-out"],
    ["APS2-DataTransfer-Out-Bytes", "internet-out"],
    ["EU-DataTransfer-Out-OBytes", "internet-out"],
    // Between Availability Zones.
    ["USE1-DataTransfer-Regional-Bytes", "regional"],
    ["DataTransfer-Regional-Bytes", "regional"],
    ["EUC1-DataTransfer-xAZ-In-Bytes", "regional"],
    // Between regions: both directions, codes of any length, and the VPC-peering form without a destination.
    ["USE1-USW2-AWS-Out-Bytes", "inter-region"],
    ["USE1-USW2-AWS-In-Bytes", "inter-region"],
    ["USE1-EU-AWS-Out-Bytes", "inter-region"],
    ["EU-USE1-AWS-Out-Bytes", "inter-region"],
    ["APS2-USE1-AWS-Out-Bytes", "inter-region"],
    ["APN1-APS3-AWS-In-Bytes", "inter-region"],
    ["USE2-AWS-Out-Bytes", "inter-region"],
    ["USE1-USE2-AWS-Out-ABytes", "inter-region"],
    // Everything else.
    ["USE1-DataTransfer-In-Bytes", "other"],
    ["DataTransfer-In-Bytes", "other"],
    ["USE1-CloudFront-Out-Bytes", "other"],
    ["USE1-EnhancedScanning-Images", "other"],
    ["", "other"],
  ])("%s is %s", (usageType, kind) => {
    expect(classifyUsageType(usageType)).toBe(kind);
    // A second call (cached) answers the same.
    expect(classifyUsageType(usageType)).toBe(kind);
  });

  it("classifies every usage type the sandbox's cost model emits", () => {
    // lib/sandbox/cost-model.ts: storage, internet out, regional, and replication (inter-region).
    const emitted: [string, UsageTypeKind][] = [
      ["USE1-TimedStorage-ByteHrs", "storage"],
      ["EU-DataTransfer-Out-Bytes", "internet-out"],
      ["APS2-DataTransfer-Regional-Bytes", "regional"],
      ["USE1-EU-AWS-Out-Bytes", "inter-region"],
      ["EU-USE1-AWS-Out-Bytes", "inter-region"],
      ["USW2-APS2-AWS-Out-Bytes", "inter-region"],
    ];
    for (const [usageType, kind] of emitted) expect(classifyUsageType(usageType), usageType).toBe(kind);
  });
});
