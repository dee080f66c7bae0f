import { describe, expect, it } from "vitest";
import { DEFAULT_COMPLIANCE_THRESHOLDS, complianceThresholdsSchema, toComplianceSettings } from "@/lib/settings";
import { costExplorerRequestsUsd, monthlyUsd, parseRegionPrice, storagePriceFor } from "./pricing";

const settingsWith = (regionStoragePrices: string[]) =>
  toComplianceSettings({ complianceThresholds: { ...DEFAULT_COMPLIANCE_THRESHOLDS, regionStoragePrices }, vulnerabilityThreshold: "HIGH", trustedAccounts: [] });

describe("storage prices", () => {
  it("prices a region at its own price when one is set, else at the default", () => {
    const settings = settingsWith(["eu-central-1=0.11", "ap-southeast-2 = 0.12"]);
    expect(storagePriceFor("eu-central-1", settings)).toBe(0.11);
    expect(storagePriceFor("ap-southeast-2", settings)).toBe(0.12);
    expect(storagePriceFor("us-east-1", settings)).toBe(0.1);
  });

  it("prices Cost Explorer requests at a cent each, exactly", () => {
    expect(costExplorerRequestsUsd(7)).toBe(0.07);
    expect(costExplorerRequestsUsd(0)).toBe(0);
  });

  it("bills GB as 2^30 bytes", () => {
    expect(monthlyUsd(5 * 1024 ** 3, 0.1)).toBeCloseTo(0.5, 10);
  });

  it.each([
    ["eu-central-1", "is not <region>=<USD per GB-month> (for example eu-central-1=0.11)"],
    ["mars-north-1=0.1", "names mars-north-1, which is not a known AWS region"],
    ["eu-west-1=0", "must have a price more than 0 and at most 10"],
    ["eu-west-1=11", "must have a price more than 0 and at most 10"],
    ["eu-west-1=abc", "is not <region>=<USD per GB-month> (for example eu-central-1=0.11)"],
  ])("refuses %s: %s", (entry, message) => {
    expect(parseRegionPrice(entry)).toBe(message);
  });

  it("names every bad entry in the settings, and a region listed twice", () => {
    const parsed = complianceThresholdsSchema.safeParse({ ...DEFAULT_COMPLIANCE_THRESHOLDS, regionStoragePrices: ["eu-west-1=0.1", "eu-west-1=0.2", "nonsense"] });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toEqual(["regionStoragePrices: lists eu-west-1 twice", 'regionStoragePrices: "nonsense" is not <region>=<USD per GB-month> (for example eu-central-1=0.11)']);
  });
});
