import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { keyRotation } from "./key-rotation";
import { AWS_KEY, checkContext, CMK, kmsError, kmsKeyFacts as key, OTHER_ACCOUNT_KEY, repositoryFacts } from "./testing";

const ctx = checkContext();
const registry = {} as RegistryFacts; // key-rotation reads nothing of the registry

const repo = (overrides: Partial<RepositoryFacts> = {}) => repositoryFacts({ kmsKey: CMK, key: key(), ...overrides });

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
