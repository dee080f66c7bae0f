import type { CheckResult, KmsKeyFacts, ReadError, RepositoryCheck, RepositoryFacts } from "../types";
import { error, fail, manual, pass } from "./result";

/**
 * EKM-01 / ECR.5: images are encrypted with an enabled customer managed KMS key, one of the
 * allowed keys when the settings list them (spec/CONTROLS.md, cmk-encryption).
 */

// A key whose key policy does not grant the reader (typically another account's key) answers
// AccessDenied, or NotFound for an ARN KMS will not reveal: it can never be read from here, so
// a person must judge it (MANUAL). Anything else (throttling, KMS internal errors) is a failed
// read like any other: ERROR.
const NOT_DESCRIBABLE = /AccessDenied|NotAuthorized|Unauthorized|NotFound|InvalidArn/i;

/**
 * The result for a failed KMS read about key `arn`: MANUAL with `why` when the key is not
 * readable from here, ERROR otherwise. Shared with key-rotation.
 */
export function keyReadFailure(failure: ReadError, arn: string, why: string, evidence: Record<string, unknown>): CheckResult {
  const withFailure = { ...evidence, readError: failure };
  if (NOT_DESCRIBABLE.test(failure.errorName)) return manual(why, withFailure);
  return error(`${failure.service}:${failure.operation} failed with ${failure.errorName} for key ${arn}: ${failure.message}`, withFailure);
}

// States in which the key cannot decrypt: the repository's images cannot be pulled.
const UNUSABLE_STATES = new Set(["Disabled", "PendingDeletion", "PendingImport", "Unavailable", "PendingReplicaDeletion"]);

function keyIdOf(arn: string): string {
  const slash = arn.lastIndexOf("key/");
  return slash >= 0 ? arn.slice(slash + 4) : arn;
}

function allowed(repository: RepositoryFacts, key: KmsKeyFacts, allowedKeys: readonly string[]): boolean {
  const names = new Set([key.arn, keyIdOf(key.arn)]);
  if (repository.kmsKey) names.add(repository.kmsKey);
  return allowedKeys.some((k) => names.has(k));
}

export const cmkEncryption: RepositoryCheck = {
  id: "cmk-encryption",
  scope: "repository",
  evaluate(repository, _registry, ctx) {
    const { encryptionType, kmsKey, key } = repository;
    const evidence: Record<string, unknown> = { encryptionType, kmsKey, keyManager: key?.keyManager ?? null, keyState: key?.keyState ?? null };
    if (encryptionType === "AES256") return fail("encryptionType is AES256: images are not encrypted with a customer managed KMS key", evidence);
    if (encryptionType !== "KMS" && encryptionType !== "KMS_DSSE") return manual(`encryptionType is ${encryptionType ? `"${encryptionType}"` : "empty"}, a value ECR does not document`, evidence);
    const arn = key?.arn ?? kmsKey;
    if (!arn) return error(`encryptionType is ${encryptionType} but the repository's KMS key ARN was not collected`, evidence);
    if (!key) return manual(`encryptionType is ${encryptionType} with key ${arn}, which was not described: who manages it and its state are unknown`, evidence);

    const failure = key.readErrors.DescribeKey;
    if (failure) {
      const why = `key ${arn} could not be described (${failure.errorName}): its key policy does not grant Portwatch, so whether it is customer managed and enabled must be confirmed by a person`;
      return keyReadFailure(failure, arn, why, evidence);
    }
    if (key.keyManager === null) return error(`key ${arn} was not described: its KeyManager was not collected`, evidence);
    if (key.keyManager === "AWS") return fail(`encryptionType is ${encryptionType} with key ${arn}, the AWS managed aws/ecr key (KeyManager AWS), not a customer managed key`, evidence);
    if (key.keyManager !== "CUSTOMER") return manual(`key ${arn} has KeyManager "${key.keyManager}", a value KMS does not document`, evidence);
    if (key.keyState !== "Enabled") {
      if (key.keyState !== null && UNUSABLE_STATES.has(key.keyState)) {
        return fail(`customer managed key ${arn} is ${key.keyState}: it cannot decrypt, so the repository's images cannot be pulled`, evidence);
      }
      return manual(`customer managed key ${arn} is in state ${key.keyState ?? "unknown"}, which cannot be judged`, evidence);
    }
    const allowedKeys = ctx.settings.allowedKmsKeys;
    if (allowedKeys.length > 0 && !allowed(repository, key, allowedKeys)) {
      return fail(`customer managed key ${arn} is not one of the ${allowedKeys.length} allowed KMS keys`, { ...evidence, allowedKmsKeys: allowedKeys.slice(0, 10) });
    }
    return pass(`encryptionType is ${encryptionType} with customer managed key ${arn}, Enabled${allowedKeys.length ? ", one of the allowed keys" : ""}`, evidence);
  },
};
