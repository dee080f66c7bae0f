import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ListAccountsCommand, OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { assumeManagementRole, assumeRole, clientConfig } from "../testing";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("faults", { seed: 7 }));
});
afterAll(() => sandbox.close());

describe("STS", () => {
  it("assumes a member account's role with the right ExternalId, and the session acts in that account", async () => {
    const account = sandbox.organization.accounts[0];
    const credentials = await assumeRole(sandbox, account.id);
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const sts = new STSClient(clientConfig(sandbox, "eu-west-1", credentials));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(account.id);
    expect(identity.Arn).toBe(`arn:aws:sts::${account.id}:assumed-role/PortwatchReadOnly/portwatch-test`);
  });

  it("refuses a wrong or missing ExternalId with AccessDenied", async () => {
    const account = sandbox.organization.accounts[0];
    await expect(assumeRole(sandbox, account.id, { externalId: "pw-guess" })).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
    await expect(assumeRole(sandbox, account.id, { externalId: "" })).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("in the faults profile: a role that does not exist, and a role demanding another ExternalId", async () => {
    const faults = sandbox.organization.faults!;
    await expect(assumeRole(sandbox, faults.noRoleAccountId)).rejects.toThrow(/is not authorized to perform: sts:AssumeRole/);
    await expect(assumeRole(sandbox, faults.wrongExternalIdAccountId)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("refuses an account outside the organisation, and a suspended one", async () => {
    await expect(assumeRole(sandbox, "123456789012")).rejects.toMatchObject({ name: "AccessDenied" });
    const suspended = sandbox.organization.accounts.find((a) => a.status === "SUSPENDED")!;
    await expect(assumeRole(sandbox, suspended.id)).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("refuses a forged session token as AWS does", async () => {
    const credentials = await assumeRole(sandbox, sandbox.organization.accounts[0].id);
    const sts = new STSClient(clientConfig(sandbox, "us-east-1", { ...credentials, sessionToken: `${credentials.sessionToken}x` }));
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "UnrecognizedClientException" });
  });
});

describe("Organizations", () => {
  it("lists every account, ACTIVE and SUSPENDED, across pages exactly once, with Dates", async () => {
    const orgs = new OrganizationsClient(clientConfig(sandbox, "us-east-1", await assumeManagementRole(sandbox, "organizations")));
    const seen: string[] = [];
    for await (const pageOut of paginateListAccounts({ client: orgs, pageSize: 3 }, {})) {
      for (const account of pageOut.Accounts ?? []) {
        seen.push(account.Id!);
        expect(account.JoinedTimestamp).toBeInstanceOf(Date);
      }
    }
    const expected = [sandbox.organization.managementAccountId, ...sandbox.organization.accounts.map((a) => a.id)];
    expect(seen).toEqual(expected);
    const { Accounts } = await orgs.send(new ListAccountsCommand({}));
    expect(new Set(Accounts!.map((a) => a.Status))).toEqual(new Set(["ACTIVE", "SUSPENDED"]));
  });

  it("answers AccessDeniedException to a member account, and validates MaxResults and NextToken", async () => {
    const member = new OrganizationsClient(clientConfig(sandbox, "us-east-1", await assumeRole(sandbox, sandbox.organization.accounts[0].id)));
    await expect(member.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException" });
    const orgs = new OrganizationsClient(clientConfig(sandbox, "us-east-1", await assumeManagementRole(sandbox, "organizations")));
    await expect(orgs.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject({ name: "InvalidInputException" });
    await expect(orgs.send(new ListAccountsCommand({ NextToken: "bm9wZQ==" }))).rejects.toMatchObject({ name: "InvalidInputException" });
  });
});
