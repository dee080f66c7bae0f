import { KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kmsKeysOf } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { createClient } from "./clients";
import { collectKmsKey } from "./collect-kms";
import type { RoleSessions } from "./credentials";
import { sandboxRegionContext, sandboxSessions } from "./testing";

let sandbox: RunningSandbox;
let sessions: RoleSessions;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 4 }));
  sessions = sandboxSessions(sandbox);
});
afterAll(async () => {
  sessions.destroy();
  await sandbox.close();
});

describe("collectKmsKey", () => {
  it("records a cross-account key that is not describable, leaving its fields null", async () => {
    const [own, other] = sandbox.organization.accounts.map((a) => a.id);
    const region = "us-east-1";
    const ctx = sandboxRegionContext(sandbox, sessions, own, region);
    const kms = createClient(KMSClient, { ...ctx.client, region, credentials: ctx.credentials, stats: ctx.stats });
    const foreign = kmsKeysOf(sandbox.organization, other, region)[0].arn;
    const record = await collectKmsKey(ctx, kms, foreign);
    kms.destroy();
    expect(record).toMatchObject({ arn: foreign, accountId: other, region, keyManager: null, keyState: null, rotationEnabled: null });
    expect(record.errors.DescribeKey).toMatchObject({ accountId: own, service: "kms", operation: "DescribeKey", resource: foreign, errorName: "AccessDeniedException", kind: "access-denied" });
    expect(ctx.failures).toEqual([record.errors.DescribeKey]);
  });
});
