import { DescribeKeyCommand, GetKeyRotationStatusCommand, type KMSClient } from "@aws-sdk/client-kms";
import { callAws, type RegionContext, tryCall } from "./clients";
import type { FailureMap, KmsKeyRecord, RepositoryRecord } from "./types";

/**
 * The KMS keys the region's repositories are encrypted with: who manages each (AWS or the
 * customer), its state, and for customer managed keys whether rotation is on. A key in another
 * account is often not describable (its key policy does not grant us): recorded, fields null.
 */

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):/;

/** Distinct keys named by KMS / KMS_DSSE repositories, in first-seen order. */
export function keysOfRepositories(repositories: RepositoryRecord[]): string[] {
  const keys = new Set<string>();
  for (const r of repositories) if (r.kmsKey && r.encryptionType.startsWith("KMS")) keys.add(r.kmsKey);
  return [...keys];
}

export async function collectKmsKey(ctx: RegionContext, kms: KMSClient, keyArn: string): Promise<KmsKeyRecord> {
  const errors: FailureMap = {};
  const [, region = ctx.region, accountId = ctx.accountId] = KEY_ARN.exec(keyArn) ?? [];
  const described = await tryCall(ctx, errors, () => callAws(ctx, "kms", "DescribeKey", keyArn, (o) => kms.send(new DescribeKeyCommand({ KeyId: keyArn }), o)));
  const metadata = described?.KeyMetadata;
  let rotationEnabled: boolean | null = null;
  if (metadata?.KeyManager === "CUSTOMER") {
    // GetKeyRotationStatus takes a key id or key ARN, not an alias: use the ARN KMS resolved.
    const keyId = metadata.Arn ?? keyArn;
    const rotation = await tryCall(ctx, errors, () => callAws(ctx, "kms", "GetKeyRotationStatus", keyArn, (o) => kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }), o)));
    rotationEnabled = rotation?.KeyRotationEnabled ?? null;
  }
  return {
    arn: keyArn,
    accountId,
    region,
    keyManager: metadata?.KeyManager ?? null,
    keyState: metadata?.KeyState ?? null,
    rotationEnabled,
    errors,
  };
}

export async function collectKmsKeys(ctx: RegionContext, kms: KMSClient, repositories: RepositoryRecord[]): Promise<KmsKeyRecord[]> {
  return Promise.all(keysOfRepositories(repositories).map((arn) => collectKmsKey(ctx, kms, arn)));
}
