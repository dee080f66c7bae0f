import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { scanConfigured } from "./scan-configured";
import { checkContext, readErrors, registryFacts as registry, repositoryFacts as repo, scanRule as rule } from "./testing";

const ctx = checkContext();

describe("scan-configured", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<RegistryFacts>, string, string]>([
    ["PASS: AWS says SCAN_ON_PUSH", { scanFrequency: "SCAN_ON_PUSH", appliedScanFilters: [{ filter: "*", filterType: "WILDCARD" }] }, {}, "PASS", "SCAN_ON_PUSH (repository scanning configuration, filter *)"],
    ["PASS: AWS says CONTINUOUS_SCAN", { scanFrequency: "CONTINUOUS_SCAN" }, { scanType: "ENHANCED" }, "PASS", "CONTINUOUS_SCAN"],
    ["PASS: a registry SCAN_ON_PUSH rule with a substring filter", {}, { scanRules: [rule("SCAN_ON_PUSH", "prod*", "api")] }, "PASS", "SCAN_ON_PUSH (registry rule filter api)"],
    ["PASS: an ENHANCED continuous rule", {}, { scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "*api*")] }, "PASS", "CONTINUOUS_SCAN (registry rule filter *api*)"],
    ["PASS: BASIC with the legacy scanOnPush flag", { name: "dev-x", scanOnPush: true }, { scanRules: [rule("SCAN_ON_PUSH", "prod*")] }, "PASS", "legacy scanOnPush"],
    ["FAIL: AWS says MANUAL", { scanFrequency: "MANUAL" }, {}, "FAIL", "MANUAL"],
    ["FAIL: prod* does not match dev-x", { name: "dev-x" }, { scanRules: [rule("SCAN_ON_PUSH", "prod*")] }, "FAIL", "MANUAL (no registry scanning rule matches"],
    ["FAIL: a MANUAL rule is not scanning", {}, { scanRules: [rule("MANUAL", "*")] }, "FAIL", "MANUAL"],
    ["FAIL: ENHANCED ignores the legacy flag", { scanOnPush: true }, { scanType: "ENHANCED", scanRules: [rule("SCAN_ON_PUSH", "prod*")] }, "FAIL", "MANUAL"],
    [
      "ERROR: neither configuration readable",
      { readErrors: readErrors("BatchGetRepositoryScanningConfiguration") },
      { scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") },
      "ERROR",
      "BatchGetRepositoryScanningConfiguration failed with AccessDeniedException",
    ],
    ["ERROR: registry configuration failed", {}, { scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") }, "ERROR", "GetRegistryScanningConfiguration failed"],
  ])("%s", (_label, repoOverrides, registryOverrides, status, reason) => {
    const result = scanConfigured.evaluate(repo(repoOverrides), registry(registryOverrides), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("gives the frequency, its source and the matched filters as evidence", () => {
    const result = scanConfigured.evaluate(repo(), registry({ scanRules: [rule("SCAN_ON_PUSH", "prod*", "api")] }), ctx);
    expect(result.evidence).toEqual({ scanFrequency: "SCAN_ON_PUSH", source: "registry-rules", filters: [{ filter: "api", filterType: "WILDCARD" }], registryScanType: "BASIC", scanOnPush: false });
  });
});
