import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { describeScan, effectiveScanFrequency } from "./effective-scan";
import { readErrors, registryFacts as registry, repositoryFacts as repo, scanRule as rule } from "./testing";

describe("effectiveScanFrequency", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<RegistryFacts>, string, string, string[]]>([
    [
      "AWS's repository answer wins over the rules",
      { scanFrequency: "SCAN_ON_PUSH", appliedScanFilters: [{ filter: "*api*", filterType: "WILDCARD" }] },
      { scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "*")] },
      "SCAN_ON_PUSH",
      "repository-configuration",
      ["*api*"],
    ],
    ["AWS's repository answer MANUAL", { scanFrequency: "MANUAL" }, { scanRules: [rule("SCAN_ON_PUSH", "*")] }, "MANUAL", "repository-configuration", []],
    ["ENHANCED: a CONTINUOUS_SCAN rule first", {}, { scanType: "ENHANCED", scanRules: [rule("SCAN_ON_PUSH", "*"), rule("CONTINUOUS_SCAN", "*api*")] }, "CONTINUOUS_SCAN", "registry-rules", ["*api*"]],
    ["ENHANCED: SCAN_ON_PUSH when no continuous rule matches", {}, { scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "prod*"), rule("SCAN_ON_PUSH", "team/*")] }, "SCAN_ON_PUSH", "registry-rules", ["team/*"]],
    ["ENHANCED ignores the legacy flag", { scanOnPush: true }, { scanType: "ENHANCED", scanRules: [rule("CONTINUOUS_SCAN", "prod*")] }, "MANUAL", "none", []],
    ["BASIC never scans continuously", {}, { scanType: "BASIC", scanRules: [rule("CONTINUOUS_SCAN", "*")] }, "MANUAL", "none", []],
    ["BASIC: a substring filter matches", {}, { scanRules: [rule("SCAN_ON_PUSH", "prod*", "api")] }, "SCAN_ON_PUSH", "registry-rules", ["api"]],
    ["BASIC: prod* does not match another name", { name: "dev-x" }, { scanRules: [rule("SCAN_ON_PUSH", "prod*")] }, "MANUAL", "none", []],
    ["BASIC: the legacy flag when no rule matches", { name: "dev-x", scanOnPush: true }, { scanRules: [rule("SCAN_ON_PUSH", "prod*")] }, "SCAN_ON_PUSH", "legacy-scan-on-push", []],
    ["a MANUAL rule never counts as scanning", {}, { scanRules: [rule("MANUAL", "*")] }, "MANUAL", "none", []],
    ["a MANUAL rule in ENHANCED never counts either", {}, { scanType: "ENHANCED", scanRules: [rule("MANUAL", "*")] }, "MANUAL", "none", []],
    [
      "the registry's rules when the repository call failed",
      { readErrors: readErrors("BatchGetRepositoryScanningConfiguration") },
      { scanRules: [rule("SCAN_ON_PUSH", "*")] },
      "SCAN_ON_PUSH",
      "registry-rules",
      ["*"],
    ],
  ])("%s", (_label, repoOverrides, registryOverrides, frequency, source, filters) => {
    const scan = effectiveScanFrequency(repo(repoOverrides), registry(registryOverrides));
    expect(scan).toMatchObject({ frequency, source });
    if ("error" in scan) throw new Error("unexpected error");
    expect(scan.filters.map((f) => f.filter)).toEqual(filters);
    expect(describeScan(scan)).toContain(frequency);
  });

  it.each<[string, Partial<RepositoryFacts>, Partial<RegistryFacts>, string]>([
    [
      "the repository call failed and the registry's too",
      { readErrors: readErrors("BatchGetRepositoryScanningConfiguration") },
      { scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") },
      "ecr:BatchGetRepositoryScanningConfiguration failed with AccessDeniedException",
    ],
    [
      "no repository answer and the registry call failed",
      {},
      { scanType: null, scanRules: null, readErrors: readErrors("GetRegistryScanningConfiguration") },
      "ecr:GetRegistryScanningConfiguration failed with AccessDeniedException",
    ],
    ["neither collected, no failure recorded", {}, { scanType: "BASIC", scanRules: null }, "not collected"],
    ["an unrecognised frequency", { scanFrequency: "WEEKLY" }, {}, "unrecognised scanFrequency WEEKLY"],
  ])("error: %s", (_label, repoOverrides, registryOverrides, reason) => {
    const scan = effectiveScanFrequency(repo(repoOverrides), registry(registryOverrides));
    if (!("error" in scan)) throw new Error(`expected an error, got ${scan.frequency}`);
    expect(scan.error.status).toBe("ERROR");
    expect(scan.error.reason).toContain(reason);
  });
});
