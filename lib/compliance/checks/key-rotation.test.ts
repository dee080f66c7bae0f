import { describe, expect, it } from "vitest";
import { type CheckContext, DEFAULT_COMPLIANCE_SETTINGS, type KmsKeyFacts, type ReadErrors, type RegistryFacts, type RepositoryFacts } from "../types";
import { keyRotation } from "./key-rotation";

const NOW = new Date("2026-11-01T00:00:00Z");
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(), accountEnvironments: new Map() };
const registry = {} as RegistryFacts; // key-rotation reads nothing of the registry
const CMK = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const AWS_KEY = "arn:aws:kms:us-east-1:111122223333:key/aaaa0000-0000-4000-8000-000000000000";
const OTHER_ACCOUNT_KEY = "arn:aws:kms:us-east-1:999988887777:key/bbbb1111-0000-4000-8000-000000000000";

function key(overrides: Partial<KmsKeyFacts> = {}): KmsKeyFacts {
  return { arn: CMK, keyManager: "CUSTOMER", keyState: "Enabled", rotationEnabled: true, readErrors: {}, ...overrides };
}

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
    kmsKey: CMK,
    key: key(),
    lifecyclePolicy: null,
    repositoryPolicy: null,
    tags: [],
    readErrors: {},
    images: [],
    ...overrides,
  };
}

const kmsError = (operation: string, errorName: string): ReadErrors => ({ [operation]: { service: "kms", operation, errorName, message: `${errorName} on ${operation}` } });

describe("key-rotation", () => {
  it.each<[string, Partial<RepositoryFacts>, string, RegExp]>([
    ["a CMK with rotation enabled", {}, "PASS", /key\/1234abcd.* has automatic rotation enabled/],
    ["a CMK with rotation disabled", { key: key({ rotationEnabled: false }) }, "FAIL", /key\/1234abcd.* has automatic rotation disabled/],
    ["AES256", { encryptionType: "AES256", kmsKey: null, key: null }, "NOT_APPLICABLE", /encryptionType is AES256/],
    ["the AWS managed key", { kmsKey: AWS_KEY, key: key({ arn: AWS_KEY, keyManager: "AWS", rotationEnabled: null }) }, "NOT_APPLICABLE", /aaaa0000.* is the AWS managed aws\/ecr key/],
    ["rotation status denied", { key: key({ rotationEnabled: null, readErrors: kmsError("GetKeyRotationStatus", "AccessDeniedException") }) }, "MANUAL", /rotation status of customer managed key .*1234abcd.* could not be read \(AccessDeniedException\)/],
    ["rotation status not recorded", { key: key({ rotationEnabled: null }) }, "MANUAL", /rotation status of customer managed key .*1234abcd.* was not read/],
    [
      "a cross-account key that cannot be described",
      { kmsKey: OTHER_ACCOUNT_KEY, key: key({ arn: OTHER_ACCOUNT_KEY, keyManager: null, keyState: null, rotationEnabled: null, readErrors: kmsError("DescribeKey", "AccessDeniedException") }) },
      "MANUAL",
      /999988887777.* could not be described \(AccessDeniedException\)/,
    ],
    ["a key that was not described at all", { key: null }, "MANUAL", /key\/1234abcd.* was not described/],
    ["rotation status throttled", { key: key({ rotationEnabled: null, readErrors: kmsError("GetKeyRotationStatus", "ThrottlingException") }) }, "ERROR", /kms:GetKeyRotationStatus failed with ThrottlingException for key .*1234abcd/],
  ])("%s -> %s", (_, overrides, status, reason) => {
    const result = keyRotation.evaluate(repo(overrides), registry, ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });
});
