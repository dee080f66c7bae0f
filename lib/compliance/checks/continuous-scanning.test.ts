import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { continuousScanning } from "./continuous-scanning";
import { checkContext, readErrors, registryFacts as registry, repositoryFacts as repo, scanRule as rule } from "./testing";

const ctx = checkContext();

const enhanced = (overrides: Partial<RegistryFacts> = {}) =>
  registry({ scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "*api*"), rule("SCAN_ON_PUSH", "*")], inspectorCoverage: { "team/orders-api": "ACTIVE", "team/worker": "INACTIVE" }, ...overrides });
const inspectorDenied = readErrors("ListCoverage", "inspector2");

describe("continuous-scanning", () => {
  it.each<[string, Partial<RepositoryFacts>, RegistryFacts, string, string]>([
    ["PASS: a continuous rule and ACTIVE coverage", {}, enhanced(), "PASS", "CONTINUOUS_SCAN (registry rule filter *api*) in an ENHANCED registry, and Amazon Inspector coverage is ACTIVE"],
    ["PASS: AWS says CONTINUOUS_SCAN and coverage is ACTIVE", { scanFrequency: "CONTINUOUS_SCAN" }, enhanced({ scanRules: [] }), "PASS", "coverage is ACTIVE"],
    ["FAIL: BASIC", { scanOnPush: true }, registry({ scanRules: [rule("SCAN_ON_PUSH", "*")] }), "FAIL", "SCAN_ON_PUSH (registry rule filter *) in a registry of scan type BASIC"],
    ["FAIL: ENHANCED with SCAN_ON_PUSH only", { name: "team/worker" }, enhanced(), "FAIL", "SCAN_ON_PUSH (registry rule filter *) in a registry of scan type ENHANCED"],
    ["FAIL: MANUAL", { name: "team/worker" }, enhanced({ scanRules: [rule("CONTINUOUS_SCAN", "*api*")] }), "FAIL", "MANUAL"],
    ["FAIL: a CONTINUOUS_SCAN rule in a BASIC registry does not apply", {}, registry({ scanRules: [rule("CONTINUOUS_SCAN", "*")] }), "FAIL", "MANUAL"],
    ["FAIL: coverage INACTIVE", {}, enhanced({ inspectorCoverage: { "team/orders-api": "INACTIVE" } }), "FAIL", "Amazon Inspector coverage is INACTIVE"],
    ["FAIL: Inspector does not list the repository", {}, enhanced({ inspectorCoverage: {} }), "FAIL", "Amazon Inspector lists no coverage for team/orders-api"],
    ["FAIL: inconsistent CONTINUOUS_SCAN in a BASIC registry", { scanFrequency: "CONTINUOUS_SCAN" }, registry(), "FAIL", "scan type is BASIC"],
    ["ERROR: ListCoverage failed", {}, enhanced({ inspectorCoverage: null, readErrors: inspectorDenied }), "ERROR", "inspector2:ListCoverage failed with AccessDeniedException"],
    ["ERROR: coverage not collected", {}, enhanced({ inspectorCoverage: null }), "ERROR", "ListCoverage) was not collected"],
    [
      "ERROR: the registry's scan type unread",
      { scanFrequency: "CONTINUOUS_SCAN" },
      registry({ scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") }),
      "ERROR",
      "GetRegistryScanningConfiguration failed with AccessDeniedException",
    ],
    [
      "ERROR: no scanning configuration readable",
      { readErrors: readErrors("BatchGetRepositoryScanningConfiguration") },
      registry({ scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") }),
      "ERROR",
      "BatchGetRepositoryScanningConfiguration failed",
    ],
  ])("%s", (_label, repoOverrides, reg, status, reason) => {
    const result = continuousScanning.evaluate(repo(repoOverrides), reg, ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("a SCAN_ON_PUSH repository fails without needing coverage, even when ListCoverage failed", () => {
    const result = continuousScanning.evaluate(repo({ name: "team/worker" }), enhanced({ inspectorCoverage: null, readErrors: inspectorDenied }), ctx);
    expect(result.status).toBe("FAIL");
  });

  it("gives the frequency, the scan type and the coverage as evidence", () => {
    expect(continuousScanning.evaluate(repo(), enhanced(), ctx).evidence).toMatchObject({ scanFrequency: "CONTINUOUS_SCAN", registryScanType: "ENHANCED", inspectorCoverage: "ACTIVE" });
  });
});
