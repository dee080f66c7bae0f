import { ECRClient, DescribeRegistryCommand } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { createClient } from "./clients";
import { REFRESH_BEFORE_MS, type RoleSessions, safeSessionName } from "./credentials";
import { AwsCallError } from "./errors";
import { memberRoleArn, sandboxClient, sandboxSessions } from "./testing";

// One clock for the sandbox (session expiry) and the sessions (when to renew); tests move it.
let now = Date.now();
const clock = () => now;
let sandbox: RunningSandbox;
let sessions: RoleSessions;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("faults", { seed: 5 }), { clock });
  sessions = sandboxSessions(sandbox, { now: clock });
});
afterAll(async () => {
  sessions.destroy();
  await sandbox.close();
});

const assumeRoleCalls = () => sandbox.metrics().calls["sts:AssumeRole"] ?? 0;
/** Active accounts whose role can be assumed (the faults profile breaks two of them). */
const healthy = (i = 0) => {
  const { noRoleAccountId, wrongExternalIdAccountId } = sandbox.organization.faults!;
  return sandbox.organization.accounts.filter((a) => a.status === "ACTIVE" && a.id !== noRoleAccountId && a.id !== wrongExternalIdAccountId)[i].id;
};

describe("createRoleSessions", () => {
  it("assumes the role with the ExternalId and a portwatch-<account> session, and the session acts in the account", async () => {
    const accountId = healthy();
    const session = await sessions.assume(memberRoleArn(sandbox, accountId));
    expect(session.assumedRoleArn).toBe(`arn:aws:sts::${accountId}:assumed-role/PortwatchReadOnly/portwatch-${accountId}`);
    expect(session.credentials.expiration.getTime()).toBe(now + 3600_000);
    const ecr = createClient(ECRClient, { ...sandboxClient(sandbox), region: "us-east-1", credentials: sessions.provider(memberRoleArn(sandbox, accountId)) });
    const out = await ecr.send(new DescribeRegistryCommand({}));
    expect(out.registryId).toBe(accountId);
    ecr.destroy();
  });

  it("caches a session per role, and shares one AssumeRole between concurrent callers", async () => {
    const roleArn = memberRoleArn(sandbox, healthy(1));
    const before = assumeRoleCalls();
    const provider = sessions.provider(roleArn);
    const credentials = await Promise.all([provider(), provider(), provider(), sessions.assume(roleArn).then((s) => s.credentials)]);
    expect(assumeRoleCalls() - before).toBe(1);
    expect(new Set(credentials.map((c) => c.accessKeyId)).size).toBe(1);
    await provider();
    expect(assumeRoleCalls() - before).toBe(1);
  });

  it("renews a session 5 minutes before it expires, not earlier", async () => {
    const roleArn = memberRoleArn(sandbox, healthy(2));
    const provider = sessions.provider(roleArn);
    const first = await provider();
    const before = assumeRoleCalls();

    now = first.expiration!.getTime() - REFRESH_BEFORE_MS - 1000;
    expect((await provider()).sessionToken).toBe(first.sessionToken);
    expect(assumeRoleCalls()).toBe(before);

    now = first.expiration!.getTime() - REFRESH_BEFORE_MS + 1000;
    const renewed = await provider();
    expect(assumeRoleCalls()).toBe(before + 1);
    expect(renewed.sessionToken).not.toBe(first.sessionToken);
    expect(renewed.expiration!.getTime()).toBe(now + 3600_000);

    // The old session is refused past its expiry, the renewed one is not.
    now = first.expiration!.getTime() + 1000;
    const region = "us-east-1";
    const stale = createClient(ECRClient, { ...sandboxClient(sandbox), region, credentials: first });
    await expect(stale.send(new DescribeRegistryCommand({}))).rejects.toMatchObject({ name: "ExpiredTokenException" });
    const fresh = createClient(ECRClient, { ...sandboxClient(sandbox), region, credentials: renewed });
    await expect(fresh.send(new DescribeRegistryCommand({}))).resolves.toBeDefined();
    stale.destroy();
    fresh.destroy();
  });

  it("turns a refused AssumeRole into AwsCallError (sts AssumeRole, access-denied), and does not cache it", async () => {
    const { noRoleAccountId, wrongExternalIdAccountId } = sandbox.organization.faults!;
    for (const accountId of [noRoleAccountId, wrongExternalIdAccountId]) {
      const roleArn = memberRoleArn(sandbox, accountId);
      const error = await sessions.assume(roleArn).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsCallError);
      expect((error as AwsCallError).failure).toMatchObject({ accountId, service: "sts", operation: "AssumeRole", resource: roleArn, errorName: "AccessDenied", kind: "access-denied" });
      expect((error as AwsCallError).message).not.toMatch(/AKIA|ASIA/);
    }
    const before = assumeRoleCalls();
    await expect(sessions.provider(memberRoleArn(sandbox, noRoleAccountId))()).rejects.toBeInstanceOf(AwsCallError);
    expect(assumeRoleCalls()).toBe(before + 1);
  });

  it("makes any session name safe for STS: 2 to 64 of [\\w+=,.@-]", () => {
    expect(safeSessionName("portwatch-111122223333")).toBe("portwatch-111122223333");
    expect(safeSessionName("portwatch/ops team:1")).toBe("portwatch-ops-team-1");
    expect(safeSessionName("x".repeat(100))).toHaveLength(64);
    expect(safeSessionName("a")).toHaveLength(2);
  });
});
