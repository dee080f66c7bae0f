import { describe, expect, it } from "vitest";
import { AWS_REGIONS } from "@/lib/regions";
import { classifyUsageType } from "@/lib/compliance/usage-types";
import { billingCode, regionForBillingCode, regionForUsageType } from "./region-billing-codes";

describe("billingCode", () => {
  it.each([
    ["us-east-1", "USE1"],
    ["us-west-2", "USW2"],
    // The ones that do not follow the region's name.
    ["eu-west-1", "EU"],
    ["ap-south-1", "APS3"],
    ["ap-southeast-3", "APS4"],
    ["ca-west-1", "CAN2"],
    ["us-gov-west-1", "UGW1"],
  ])("%s is %s", (region, code) => {
    expect(billingCode(region)).toBe(code);
    expect(regionForBillingCode(code)).toBe(region);
  });

  it("knows every region the app lets a user pick, each with its own code", () => {
    const codes = Object.keys(AWS_REGIONS).map(billingCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("throws for a region it does not know, naming it (never an inherited property)", () => {
    expect(() => billingCode("xx-moon-1")).toThrow(/xx-moon-1/);
    expect(() => billingCode("constructor")).toThrow(/constructor/);
    expect(regionForBillingCode("ZZZ9")).toBeNull();
  });
});

describe("regionForUsageType", () => {
  it.each<[string, string | null]>([
    ["USE1-TimedStorage-ByteHrs", "us-east-1"],
    ["EU-DataTransfer-Out-Bytes", "eu-west-1"],
    ["APS2-DataTransfer-Regional-Bytes", "ap-southeast-2"],
    // Inter-region: billed in the source region (the first code).
    ["USE1-EUC1-AWS-Out-Bytes", "us-east-1"],
    ["EU-USE1-AWS-Out-Bytes", "eu-west-1"],
    ["USE2-AWS-Out-Bytes", "us-east-2"],
    // No code: us-east-1, as AWS leaves USE1 off its older usage types.
    ["TimedStorage-ByteHrs", "us-east-1"],
    ["DataTransfer-Out-Bytes", "us-east-1"],
    ["AWS-Out-Bytes", "us-east-1"],
    ["Requests", "us-east-1"],
    // A code-shaped prefix that is no region we know: unknown, not guessed.
    ["XYZ1-TimedStorage-ByteHrs", null],
    ["QQ-DataTransfer-Out-Bytes", null],
    ["", null],
  ])("%s is billed in %s", (usageType, region) => {
    expect(regionForUsageType(usageType)).toBe(region);
  });

  it("reads back the region of every usage type built from a region's code", () => {
    for (const region of Object.keys(AWS_REGIONS)) {
      const code = billingCode(region);
      for (const usageType of [`${code}-TimedStorage-ByteHrs`, `${code}-DataTransfer-Out-Bytes`, `${code}-USW2-AWS-Out-Bytes`]) {
        expect(regionForUsageType(usageType), usageType).toBe(region);
        // The classifier reads the same names (lib/compliance/usage-types.ts).
        expect(classifyUsageType(usageType)).not.toBe("other");
      }
    }
  });
});
