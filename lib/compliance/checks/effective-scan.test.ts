import { describe, expect, it } from "vitest";
import type { ReadError, RegistryFacts, RepositoryFacts, ScanRule } from "../types";
import { describeScan, effectiveScanFrequency } from "./effective-scan";

const repo = (overrides: Partial<RepositoryFacts> = {}): RepositoryFacts => ({
  arn: "arn:aws:ecr:us-east-1:111122223333:repository/team/orders-api",
  accountId: "111122223333",
  region: "us-east-1",
  name: "team/orders-api",
  createdAt: new Date("2025-01-01T00:00:00Z"),
  imageTagMutability: "IMMUTABLE",
  tagMutabilityExclusions: null,
  scanOnPush: false,
  scanFrequency: null,
  appliedScanFilters: null,
  encryptionType: "KMS",
  kmsKey: null,
  key: null,
  lifecyclePolicy: null,
  repositoryPolicy: null,
  tags: [],
  readErrors: {},
  images: [],
  ...overrides,
});

const registry = (overrides: Partial<RegistryFacts> = {}): RegistryFacts => ({
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
});

const rule = (scanFrequency: string, ...filters: string[]): ScanRule => ({ scanFrequency, repositoryFilters: filters.map((filter) => ({ filter, filterType: "WILDCARD" })) });
const denied = (service: string, operation: string): ReadError => ({ service, operation, errorName: "AccessDeniedException", message: `not authorized to perform ${operation}` });

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
      { readErrors: { BatchGetRepositoryScanningConfiguration: denied("ecr", "BatchGetRepositoryScanningConfiguration") } },
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
      { readErrors: { BatchGetRepositoryScanningConfiguration: denied("ecr", "BatchGetRepositoryScanningConfiguration") } },
      { scanType: null, scanRules: null, readErrors: { GetRegistryScanningConfiguration: denied("ecr", "GetRegistryScanningConfiguration") } },
      "ecr:BatchGetRepositoryScanningConfiguration failed with AccessDeniedException",
    ],
    [
      "no repository answer and the registry call failed",
      {},
      { scanType: null, scanRules: null, readErrors: { GetRegistryScanningConfiguration: denied("ecr", "GetRegistryScanningConfiguration") } },
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
