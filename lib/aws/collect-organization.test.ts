import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collectOrganizationAccounts } from "./collect-organization";
import type { RoleSessions } from "./credentials";
import { AwsCallError } from "./errors";
import { memberRoleArn, sandboxClient, sandboxSessions } from "./testing";

let sandbox: RunningSandbox;
let sessions: RoleSessions;
beforeAll(async () => {
  // 45 accounts: more than two pages of ListAccounts (20 a page).
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 2, accounts: 45 }));
  sessions = sandboxSessions(sandbox);
});
afterAll(async () => {
  sessions.destroy();
  await sandbox.close();
});

describe("collectOrganizationAccounts", () => {
  it("lists every account across pages, with its status (the caller keeps the ACTIVE ones)", async () => {
    const org = sandbox.organization;
    const accounts = await collectOrganizationAccounts({ credentials: sessions.provider(org.orgReaderRoleArn), client: sandboxClient(sandbox) });
    expect(accounts.map((a) => a.id)).toEqual([org.managementAccountId, ...org.accounts.map((a) => a.id)]);
    const first = org.accounts[0];
    expect(accounts[1]).toEqual({ id: first.id, name: first.name, email: first.email, status: "ACTIVE" });
    expect(accounts.filter((a) => a.status === "SUSPENDED").map((a) => a.id)).toEqual(org.accounts.filter((a) => a.status === "SUSPENDED").map((a) => a.id));
  });

  it("throws AwsCallError access-denied from a member account", async () => {
    const member = sandbox.organization.accounts[0].id;
    const error = await collectOrganizationAccounts({ credentials: sessions.provider(memberRoleArn(sandbox, member)), accountId: member, client: sandboxClient(sandbox) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).failure).toMatchObject({ accountId: member, region: "global", service: "organizations", operation: "ListAccounts", kind: "access-denied" });
  });
});
