import type { RepositoryCheck } from "../types";
import { keyReadFailure } from "./cmk-encryption";
import { fail, manual, notApplicable, pass } from "./result";

/**
 * EKM-01: the repository's customer managed key rotates its material (spec/CONTROLS.md,
 * key-rotation). AWS managed keys rotate yearly and cannot be changed, so only a CMK is judged.
 */
export const keyRotation: RepositoryCheck = {
  id: "key-rotation",
  scope: "repository",
  evaluate(repository) {
    const { encryptionType, kmsKey, key } = repository;
    const evidence: Record<string, unknown> = { encryptionType, kmsKey, keyManager: key?.keyManager ?? null, rotationEnabled: key?.rotationEnabled ?? null };
    if (encryptionType !== "KMS" && encryptionType !== "KMS_DSSE") return notApplicable(`encryptionType is ${encryptionType || "empty"}: there is no KMS key to rotate`, evidence);
    const arn = key?.arn ?? kmsKey;
    if (!key) return manual(`key ${arn ?? "(no ARN recorded)"} was not described: whether it is a customer managed key that rotates is unknown`, evidence);

    const describeFailure = key.readErrors.DescribeKey;
    if (describeFailure) return keyReadFailure(describeFailure, key.arn, `key ${key.arn} could not be described (${describeFailure.errorName}), so whether it is a customer managed key that rotates is unknown`, evidence);
    if (key.keyManager === "AWS") return notApplicable(`key ${arn} is the AWS managed aws/ecr key, which AWS rotates every year`, evidence);
    if (key.keyManager !== "CUSTOMER") return manual(`key ${arn} has KeyManager ${key.keyManager === null ? "unknown" : `"${key.keyManager}"`}, so whether it should rotate cannot be judged`, evidence);

    const rotationFailure = key.readErrors.GetKeyRotationStatus;
    if (rotationFailure) return keyReadFailure(rotationFailure, key.arn, `the rotation status of customer managed key ${key.arn} could not be read (${rotationFailure.errorName})`, evidence);
    if (key.rotationEnabled === true) return pass(`customer managed key ${arn} has automatic rotation enabled`, evidence);
    if (key.rotationEnabled === false) return fail(`customer managed key ${arn} has automatic rotation disabled`, evidence);
    return manual(`the rotation status of customer managed key ${arn} was not read`, evidence);
  },
};
