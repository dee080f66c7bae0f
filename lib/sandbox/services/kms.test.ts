import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsManagedKey, getRepositories, kmsKeysOf } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { assumeRole, clientConfig, clientIn } from "../testing";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 21 }));
});
afterAll(() => sandbox.close());

async function kmsFor(accountId: string, region: string) {
  return clientIn(sandbox, KMSClient, accountId, region);
}

describe("KMS", () => {
  it("describes every key a repository names, with a Date, and rotation is off exactly for the second CMK", async () => {
    const org = sandbox.organization;
    let checked = 0;
    for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
      for (const region of account.regions) {
        const kms = await kmsFor(account.id, region);
        const [rotated, legacy] = kmsKeysOf(org, account.id, region);
        const managed = awsManagedKey(account.id, region);
        const referenced = new Set(getRepositories(org, account.id, region).flatMap((r) => (r.kmsKey ? [r.kmsKey] : [])));
        for (const arn of new Set([rotated.arn, legacy.arn, managed.arn, ...referenced])) {
          const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: arn }));
          expect(KeyMetadata!.Arn).toBe(arn);
          expect(KeyMetadata!.AWSAccountId).toBe(account.id);
          expect(KeyMetadata!.CreationDate).toBeInstanceOf(Date);
          expect(KeyMetadata!.CreationDate!.getTime()).toBeLessThanOrEqual(org.now.getTime());
          expect(KeyMetadata).toMatchObject({ Enabled: true, KeyState: "Enabled", KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT", Origin: "AWS_KMS", MultiRegion: false });
          expect(KeyMetadata!.KeyManager).toBe(arn === managed.arn ? "AWS" : "CUSTOMER");

          const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }));
          expect(rotation.KeyRotationEnabled).toBe(arn !== legacy.arn);
          expect(rotation.RotationPeriodInDays).toBe(arn === legacy.arn ? undefined : 365);
          if (rotation.KeyRotationEnabled) expect(rotation.NextRotationDate!.getTime()).toBeGreaterThan(org.now.getTime());
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(org.accounts.filter((a) => a.status === "ACTIVE").length * 2 * 3);
  });

  it("resolves a key id, the aws/ecr alias name and an alias ARN to the same key", async () => {
    const account = sandbox.organization.accounts[0];
    const region = account.regions[0];
    const kms = await kmsFor(account.id, region);
    const managed = awsManagedKey(account.id, region);
    const byAlias = await kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/ecr" }));
    const byAliasArn = await kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${region}:${account.id}:alias/aws/ecr` }));
    const byId = await kms.send(new DescribeKeyCommand({ KeyId: managed.keyId }));
    expect([byAlias, byAliasArn, byId].map((r) => r.KeyMetadata!.Arn)).toEqual([managed.arn, managed.arn, managed.arn]);
    expect(byId.KeyMetadata!.Description).toMatch(/Default key/);
  });

  it("answers NotFoundException for an unknown key, alias or another region's key", async () => {
    const account = sandbox.organization.accounts[0];
    const [region, other] = account.regions;
    const kms = await kmsFor(account.id, region);
    await expect(kms.send(new DescribeKeyCommand({ KeyId: "00000000-1111-4222-8333-444444444444" }))).rejects.toMatchObject({ name: "NotFoundException", $metadata: { httpStatusCode: 400 } });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: "alias/nope" }))).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: kmsKeysOf(sandbox.organization, account.id, other)[0].arn }))).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(kms.send(new GetKeyRotationStatusCommand({ KeyId: "not-a-key" }))).rejects.toMatchObject({ name: "NotFoundException" });
    // GetKeyRotationStatus takes a key id or key ARN, not an alias.
    await expect(kms.send(new GetKeyRotationStatusCommand({ KeyId: "alias/aws/ecr" }))).rejects.toMatchObject({ name: "NotFoundException" });
  });

  it("refuses another account's key with AccessDeniedException (a cross-account key is not describable)", async () => {
    const [a, b] = sandbox.organization.accounts;
    const region = a.regions[0];
    const kms = await kmsFor(a.id, region);
    const foreign = kmsKeysOf(sandbox.organization, b.id, region)[0].arn;
    await expect(kms.send(new DescribeKeyCommand({ KeyId: foreign }))).rejects.toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("kms:DescribeKey") });
    await expect(kms.send(new GetKeyRotationStatusCommand({ KeyId: foreign }))).rejects.toMatchObject({ name: "AccessDeniedException" });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${region}:${b.id}:alias/aws/ecr` }))).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("validates KeyId as KMS does", async () => {
    const account = sandbox.organization.accounts[0];
    const kms = await kmsFor(account.id, account.regions[0]);
    await expect(kms.send(new DescribeKeyCommand({ KeyId: undefined }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("keyId") });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: "x".repeat(2049) }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("keyId") });
  });

  it("answers byte-identical metadata for the same seed", async () => {
    const again = await startSandbox(sandboxOptions("demo", { seed: 21 }));
    try {
      const account = sandbox.organization.accounts[2];
      const region = account.regions[1];
      const key = kmsKeysOf(sandbox.organization, account.id, region)[1].arn;
      const first = await (await kmsFor(account.id, region)).send(new DescribeKeyCommand({ KeyId: key }));
      const otherKms = new KMSClient(clientConfig(again, region, await assumeRole(again, account.id)));
      const second = await otherKms.send(new DescribeKeyCommand({ KeyId: key }));
      expect(second.KeyMetadata).toEqual(first.KeyMetadata);
    } finally {
      await again.close();
    }
  });
});
