import { describe, expect, it } from "vitest";
import type { RegistryFacts, RepositoryFacts } from "../types";
import { kmsEncryption } from "./kms-encryption";
import { checkContext, CMK as KEY, repositoryFacts as repo } from "./testing";

const ctx = checkContext();
const registry = {} as RegistryFacts; // kms-encryption reads nothing of the registry

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
