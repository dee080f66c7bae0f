import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type RegistryFacts, type RepositoryFacts } from "../types";
import { kmsEncryption } from "./kms-encryption";

const NOW = new Date("2026-11-01T00:00:00Z");
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };
const registry = {} as RegistryFacts; // kms-encryption reads nothing of the registry
const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function repo(overrides: Partial<RepositoryFacts> = {}): RepositoryFacts {
  return {
    arn: "arn:aws:ecr:us-east-1:111122223333:repository/team/api",
    accountId: "111122223333",
    region: "us-east-1",
    name: "team/api",
    createdAt: NOW,
    imageTagMutability: "IMMUTABLE",
    tagMutabilityExclusions: null,
    scanOnPush: false,
    scanFrequency: "SCAN_ON_PUSH",
    appliedScanFilters: [],
    encryptionType: "KMS",
    kmsKey: null,
    key: null,
    lifecyclePolicy: null,
    repositoryPolicy: null,
    tags: [],
    readErrors: {},
    images: [],
    ...overrides,
  };
}

describe("kms-encryption", () => {
  it.each<[string, Partial<RepositoryFacts>, string, RegExp]>([
    ["KMS", { encryptionType: "KMS", kmsKey: KEY }, "PASS", /encryptionType is KMS with key arn:aws:kms:us-east-1:111122223333:key\//],
    ["KMS_DSSE", { encryptionType: "KMS_DSSE", kmsKey: KEY }, "PASS", /encryptionType is KMS_DSSE/],
    ["AES256", { encryptionType: "AES256" }, "FAIL", /encryptionType is AES256/],
    ["an undocumented value", { encryptionType: "ROT13" }, "MANUAL", /"ROT13"/],
  ])("%s -> %s", (_, overrides, status, reason) => {
    const result = kmsEncryption.evaluate(repo(overrides), registry, ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.evidence.encryptionType).toBe(overrides.encryptionType);
  });
});
