import { describe, expect, it } from "vitest";
import type { RegistryFacts } from "../types";
import { guarddutyEnabled } from "./guardduty-enabled";
import { checkContext, readErrors, registryFacts as registry } from "./testing";

const ctx = checkContext();
const failure = (operation: string) => readErrors(operation, "guardduty");
const ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

describe("guardduty-enabled", () => {
  it.each<[string, Partial<RegistryFacts>, string, RegExp]>([
    ["an ENABLED detector", { guardDutyDetectors: [{ detectorId: ID, status: "ENABLED" }] }, "PASS", new RegExp(`detector ${ID} is ENABLED in us-east-1`)],
    ["no detector", { guardDutyDetectors: [] }, "FAIL", /No GuardDuty detector in us-east-1/],
    ["a suspended (DISABLED) detector", { guardDutyDetectors: [{ detectorId: ID, status: "DISABLED" }] }, "FAIL", new RegExp(`detector ${ID} is DISABLED`)],
    ["ListDetectors failed", { guardDutyDetectors: null, readErrors: failure("ListDetectors") }, "ERROR", /guardduty:ListDetectors failed with AccessDeniedException/],
    ["GetDetector failed", { guardDutyDetectors: null, readErrors: failure("GetDetector") }, "ERROR", /guardduty:GetDetector failed with AccessDeniedException/],
    ["detectors not collected and no failure recorded", { guardDutyDetectors: null }, "ERROR", /not collected/],
  ])("%s", (_, overrides, status, reason) => {
    const result = guarddutyEnabled.evaluate(registry(overrides), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });
});
