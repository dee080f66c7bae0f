import { describe, expect, it } from "vitest";
import type { ComplianceSettings, RegistryFacts, RepositoryFacts } from "../types";
import { cmkEncryption } from "./cmk-encryption";
import { AWS_KEY, checkContext, CMK, kmsError, kmsKeyFacts as key, OTHER_ACCOUNT_KEY, repositoryFacts } from "./testing";

const registry = {} as RegistryFacts; // cmk-encryption reads nothing of the registry

const repo = (overrides: Partial<RepositoryFacts> = {}) => repositoryFacts({ kmsKey: CMK, key: key(), ...overrides });

describe("cmk-encryption", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<ComplianceSettings>, string, RegExp]>([
    ["KMS with an enabled CMK", {}, {}, "PASS", /KMS with customer managed key arn:aws:kms:us-east-1:111122223333:key\/1234abcd.*, Enabled/],
    ["KMS_DSSE with an enabled CMK", { encryptionType: "KMS_DSSE" }, {}, "PASS", /KMS_DSSE with customer managed key/],
    ["an enabled CMK in the allowed list", {}, { allowedKmsKeys: [CMK] }, "PASS", /one of the allowed keys/],
    ["an enabled CMK allowed by its key id", {}, { allowedKmsKeys: ["1234abcd-12ab-34cd-56ef-1234567890ab"] }, "PASS", /one of the allowed keys/],
    ["AES256", { encryptionType: "AES256", kmsKey: null, key: null }, {}, "FAIL", /encryptionType is AES256/],
    ["the AWS managed aws/ecr key", { kmsKey: AWS_KEY, key: key({ arn: AWS_KEY, keyManager: "AWS", rotationEnabled: null }) }, {}, "FAIL", /aaaa0000.*the AWS managed aws\/ecr key \(KeyManager AWS\)/],
    ["a CMK outside the allowed list", {}, { allowedKmsKeys: [OTHER_ACCOUNT_KEY] }, "FAIL", /key\/1234abcd.* is not one of the 1 allowed KMS keys/],
    ["a Disabled CMK", { key: key({ keyState: "Disabled" }) }, {}, "FAIL", /is Disabled: it cannot decrypt/],
    ["a CMK pending deletion", { key: key({ keyState: "PendingDeletion" }) }, {}, "FAIL", /is PendingDeletion/],
    ["a CMK in a transient state", { key: key({ keyState: "Updating" }) }, {}, "MANUAL", /in state Updating/],
    [
      "a cross-account key that cannot be described",
      { kmsKey: OTHER_ACCOUNT_KEY, key: key({ arn: OTHER_ACCOUNT_KEY, keyManager: null, keyState: null, rotationEnabled: null, readErrors: kmsError("DescribeKey", "AccessDeniedException") }) },
      {},
      "MANUAL",
      /key arn:aws:kms:us-east-1:999988887777:key\/bbbb1111.* could not be described \(AccessDeniedException\)/,
    ],
    ["a key that was not described at all", { kmsKey: OTHER_ACCOUNT_KEY, key: null }, {}, "MANUAL", /999988887777:key\/bbbb1111.* which was not described/],
    [
      "DescribeKey throttled",
      { key: key({ keyManager: null, keyState: null, rotationEnabled: null, readErrors: kmsError("DescribeKey", "ThrottlingException") }) },
      {},
      "ERROR",
      /kms:DescribeKey failed with ThrottlingException for key arn:aws:kms:us-east-1:111122223333:key\/1234abcd/,
    ],
    ["KMS with no key ARN collected", { kmsKey: null, key: null }, {}, "ERROR", /KMS key ARN was not collected/],
    ["an undocumented encryptionType", { encryptionType: "ROT13" }, {}, "MANUAL", /"ROT13"/],
  ])("%s -> %s", (_, overrides, settings, status, reason) => {
    const result = cmkEncryption.evaluate(repo(overrides), registry, checkContext({ settings }));
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("gives the key's manager and state as evidence", () => {
    expect(cmkEncryption.evaluate(repo({ key: key({ keyState: "Disabled" }) }), registry, checkContext()).evidence).toMatchObject({ encryptionType: "KMS", kmsKey: CMK, keyManager: "CUSTOMER", keyState: "Disabled" });
  });
});
