import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type ReadError, type RegistryFacts } from "../types";
import { guarddutyEnabled } from "./guardduty-enabled";

const ctx: CheckContext = { now: new Date("2026-11-01T00:00:00Z"), settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };

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
    storedBytes: 0,
    ...overrides,
  };
}

const failure = (operation: string): ReadError => ({ service: "guardduty", operation, errorName: "AccessDeniedException", message: `not authorized to perform guardduty:${operation}` });
const ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

describe("guardduty-enabled", () => {
  it.each<[string, Partial<RegistryFacts>, string, RegExp]>([
    ["an ENABLED detector", { guardDutyDetectors: [{ detectorId: ID, status: "ENABLED" }] }, "PASS", new RegExp(`detector ${ID} is ENABLED in us-east-1`)],
    ["no detector", { guardDutyDetectors: [] }, "FAIL", /No GuardDuty detector in us-east-1/],
    ["a suspended (DISABLED) detector", { guardDutyDetectors: [{ detectorId: ID, status: "DISABLED" }] }, "FAIL", new RegExp(`detector ${ID} is DISABLED`)],
    ["ListDetectors failed", { guardDutyDetectors: null, readErrors: { ListDetectors: failure("ListDetectors") } }, "ERROR", /guardduty:ListDetectors failed with AccessDeniedException/],
    ["GetDetector failed", { guardDutyDetectors: null, readErrors: { GetDetector: failure("GetDetector") } }, "ERROR", /guardduty:GetDetector failed with AccessDeniedException/],
    ["detectors not collected and no failure recorded", { guardDutyDetectors: null }, "ERROR", /not collected/],
  ])("%s", (_, overrides, status, reason) => {
    const result = guarddutyEnabled.evaluate(registry(overrides), [], ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });
});
