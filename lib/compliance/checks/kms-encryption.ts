import type { RepositoryCheck } from "../types";
import { fail, manual, pass } from "./result";

/** SC-28: images at rest are encrypted with KMS (spec/CONTROLS.md, kms-encryption). */
export const kmsEncryption: RepositoryCheck = {
  id: "kms-encryption",
  scope: "repository",
  evaluate(repository) {
    const { encryptionType, kmsKey } = repository;
    const evidence = { encryptionType, kmsKey };
    if (encryptionType === "KMS" || encryptionType === "KMS_DSSE") return pass(`encryptionType is ${encryptionType}${kmsKey ? ` with key ${kmsKey}` : ""}`, evidence);
    if (encryptionType === "AES256") return fail("encryptionType is AES256: images are encrypted with S3-managed keys, not KMS", evidence);
    return manual(`encryptionType is ${encryptionType ? `"${encryptionType}"` : "empty"}, a value ECR does not document`, evidence);
  },
};
