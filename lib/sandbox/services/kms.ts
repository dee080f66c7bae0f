import { AwsError } from "../errors";
import { awsManagedKey, kmsKeysOf } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import type { JsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { rngFor } from "../rng";

/**
 * AWS KMS (JSON 1.1): the two calls the collector makes about the keys ECR repositories name.
 * Each account and region holds exactly the keys ecr-model.ts hands out: two customer managed
 * keys (the first rotated, the second not) and the AWS managed `aws/ecr` key. Keys are regional
 * and belong to one account: a key of another account is not describable (the sandbox's keys
 * have no key policy granting other accounts), as CONTROLS.md's cmk-encryption expects.
 */

const DAY = 86_400_000;
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

interface SandboxKey {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  manager: "CUSTOMER" | "AWS";
  description: string;
  rotation: boolean;
  aliases: string[];
  createdAt: Date;
}

function keysOf(org: SandboxOrganization, accountId: string, region: string): SandboxKey[] {
  const customer = kmsKeysOf(org, accountId, region).map((k, i) => ({
    keyId: k.keyId,
    arn: k.arn,
    accountId,
    region,
    manager: "CUSTOMER" as const,
    description: k.description,
    rotation: k.rotation,
    aliases: [i === 0 ? "alias/ecr-images" : "alias/ecr-images-legacy"],
    // The legacy key is the older one: created long before rotation became the team's default.
    createdAt: new Date(org.now.getTime() - rngFor(org.options.seed, "kms-created", accountId, region, i).int(i === 0 ? 300 : 1600, i === 0 ? 1200 : 2400) * DAY),
  }));
  const managed = awsManagedKey(accountId, region);
  return [
    ...customer,
    {
      keyId: managed.keyId,
      arn: managed.arn,
      accountId,
      region,
      manager: "AWS",
      description: "Default key that protects my ECR data when no other key is defined",
      // AWS rotates every AWS managed key yearly; it cannot be turned off.
      rotation: true,
      aliases: ["alias/aws/ecr"],
      createdAt: new Date(org.now.getTime() - rngFor(org.options.seed, "kms-created", accountId, region, "aws/ecr").int(1000, 2400) * DAY),
    },
  ];
}

function keyIdInput(request: SandboxRequest): string {
  const value = request.input.KeyId;
  if (value === undefined || value === null) {
    throw new AwsError("ValidationException", "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
  }
  if (typeof value !== "string") throw new AwsError("SerializationException", "STRING_VALUE can not be converted to a String: KeyId");
  if (value.length < 1 || value.length > 2048) {
    throw new AwsError("ValidationException", `1 validation error detected: Value '${value}' at 'keyId' failed to satisfy constraint: Member must have length between 1 and 2048`);
  }
  return value;
}

function denied(request: SandboxRequest, resource: string) {
  return new AwsError(
    "AccessDeniedException",
    `User: ${request.caller.arn} is not authorized to perform: kms:${request.operation} on resource: ${resource} because no resource-based policy allows the kms:${request.operation} action`,
  );
}

/**
 * Resolves KeyId as KMS does: a key id or an alias name in the caller's account and the request's
 * region, or a key or alias ARN (which may name another account). Aliases are accepted only where
 * the operation takes them (DescribeKey does, GetKeyRotationStatus does not).
 */
function resolveKey(org: SandboxOrganization, request: SandboxRequest, allowAlias: boolean): SandboxKey {
  const keyId = keyIdInput(request);
  const { accountId } = request.caller;
  const { region } = request;
  const own = () => keysOf(org, accountId, region);
  const notFoundKey = (arn: string) => new AwsError("NotFoundException", `Key '${arn}' does not exist`);
  const isAlias = keyId.startsWith("alias/") || ALIAS_ARN.test(keyId);
  if (isAlias && !allowAlias) throw new AwsError("NotFoundException", `Invalid keyId '${keyId}'`);

  const keyArn = KEY_ARN.exec(keyId);
  if (keyArn) {
    const [, arnRegion, arnAccount, id] = keyArn;
    if (arnAccount !== accountId) throw denied(request, keyId);
    // Keys are regional: another region's key is simply not there.
    const key = arnRegion === region ? own().find((k) => k.keyId === id) : undefined;
    if (!key) throw notFoundKey(keyId);
    return key;
  }
  const aliasArn = ALIAS_ARN.exec(keyId);
  if (aliasArn) {
    const [, arnRegion, arnAccount, alias] = aliasArn;
    if (arnAccount !== accountId) throw denied(request, keyId);
    const key = arnRegion === region ? own().find((k) => k.aliases.includes(alias)) : undefined;
    if (!key) throw new AwsError("NotFoundException", `Alias ${keyId} is not found.`);
    return key;
  }
  if (keyId.startsWith("alias/")) {
    const key = own().find((k) => k.aliases.includes(keyId));
    if (!key) throw new AwsError("NotFoundException", `Alias arn:aws:kms:${region}:${accountId}:${keyId} is not found.`);
    return key;
  }
  if (keyId.startsWith("arn:")) throw new AwsError("NotFoundException", `Invalid arn ${keyId}`);
  if (!KEY_ID.test(keyId)) throw new AwsError("NotFoundException", `Invalid keyId '${keyId}'`);
  const key = own().find((k) => k.keyId === keyId);
  if (!key) throw notFoundKey(`arn:aws:kms:${region}:${accountId}:key/${keyId}`);
  return key;
}

export function kmsService(org: SandboxOrganization): JsonService {
  return {
    protocol: "json",
    targetPrefix: "TrentService",
    operations: {
      DescribeKey(request) {
        const grantTokens = request.input.GrantTokens;
        if (grantTokens !== undefined && (!Array.isArray(grantTokens) || grantTokens.length > 10)) {
          throw new AwsError("ValidationException", "1 validation error detected: Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10");
        }
        const key = resolveKey(org, request, true);
        return {
          KeyMetadata: {
            AWSAccountId: key.accountId,
            KeyId: key.keyId,
            Arn: key.arn,
            CreationDate: key.createdAt,
            Enabled: true,
            Description: key.description,
            KeyUsage: "ENCRYPT_DECRYPT",
            KeyState: "Enabled",
            Origin: "AWS_KMS",
            KeyManager: key.manager,
            CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
            KeySpec: "SYMMETRIC_DEFAULT",
            EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
            MultiRegion: false,
          },
        };
      },
      GetKeyRotationStatus(request) {
        const key = resolveKey(org, request, false);
        if (!key.rotation) return { KeyRotationEnabled: false, KeyId: key.arn };
        // Rotation happens on the anniversary of the key's creation (365 days is KMS's default period).
        const period = 365 * DAY;
        const age = org.now.getTime() - key.createdAt.getTime();
        const nextRotation = new Date(key.createdAt.getTime() + (Math.floor(age / period) + 1) * period);
        return { KeyRotationEnabled: true, KeyId: key.arn, RotationPeriodInDays: 365, NextRotationDate: nextRotation };
      },
    },
  };
}
