import { beforeEach, describe, expect, it } from "vitest";
import { type AccountsConfig, parseAccountsConfig } from "@/lib/accounts/config-schema";
import { withTestDatabase } from "@/test/database";
import type { Actor } from "./audit";
import {
  applyAccountsConfig,
  createAwsAccount,
  deleteAwsAccount,
  ensureExternalId,
  getAwsAccount,
  getCollectionAccounts,
  getConnectionTest,
  getExternalId,
  listAwsAccounts,
  mergeOrganizationAccounts,
  recordConnectionTest,
  setAwsAccountEnabled,
  startConnectionTestRecord,
  updateAwsAccount,
} from "./aws-accounts";
import { getDb } from "./client";
import { getSettings } from "./settings";

withTestDatabase();

const actor: Actor = { id: null, email: "test" };
const arn = (id: string, name = "PortwatchReadOnly") => `arn:aws:iam::${id}:role/${name}`;

function config(json: unknown): AccountsConfig {
  const parsed = parseAccountsConfig(json);
  if (!parsed.ok) throw new Error(parsed.issues.join("\n"));
  return parsed.config;
}

// The audit log is append-only: each test reads the entries after the ones before it.
let auditFrom = 0n;

async function reset() {
  const db = getDb();
  await db.awsAccount.deleteMany();
  await db.setting.deleteMany();
  auditFrom = (await db.auditLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
}

const audit = (action: string) =>
  getDb().auditLog.findMany({ where: { action, id: { gt: auditFrom } }, orderBy: { id: "asc" }, select: { targetId: true, details: true, actorEmail: true } });

describe("accounts added on the page", () => {
  beforeEach(reset);

  it("creates, edits, disables and removes an account, each with an audit entry", async () => {
    await createAwsAccount({ id: "111111111111", name: "prod", environment: "prod", roleArn: arn("111111111111"), regions: ["eu-west-1"] }, actor);
    expect(await getAwsAccount("111111111111")).toMatchObject({ source: "ui", enabled: true, regions: ["eu-west-1"], lastTest: null });

    await updateAwsAccount("111111111111", { name: "prod-core", regions: [] }, actor);
    await setAwsAccountEnabled("111111111111", false, actor);
    expect(await getAwsAccount("111111111111")).toMatchObject({ name: "prod-core", regions: [], enabled: false });
    expect((await audit("account.update"))[0].details).toEqual({ from: { name: "prod", regions: ["eu-west-1"] }, to: { name: "prod-core", regions: [] } });

    await deleteAwsAccount("111111111111", actor);
    expect(await getAwsAccount("111111111111")).toBeNull();
    const actions = (await getDb().auditLog.findMany({ where: { id: { gt: auditFrom } }, orderBy: { id: "asc" }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(["account.create", "account.update", "account.disable", "account.delete"]);
  });

  it("refuses an account id that is already listed, naming it and where it came from", async () => {
    await applyAccountsConfig(config({ regions: ["us-east-1"], accounts: [{ id: "111111111111", name: "prod-core", roleArn: arn("111111111111") }] }), actor);
    await expect(
      createAwsAccount({ id: "111111111111", name: "again", environment: "dev", roleArn: arn("111111111111"), regions: [] }, actor),
    ).rejects.toMatchObject({ code: "conflict", message: "Account 111111111111 is already listed (as prod-core, from the config file)" });
    expect(await getDb().awsAccount.count()).toBe(1);
  });

  it("refuses a role in another account and writes nothing", async () => {
    await expect(
      createAwsAccount({ id: "111111111111", name: "x", environment: "dev", roleArn: arn("222222222222"), regions: [] }, actor),
    ).rejects.toMatchObject({ code: "invalid" });
    expect(await getDb().awsAccount.count()).toBe(0);
    expect(await getDb().auditLog.count({ where: { id: { gt: auditFrom } } })).toBe(0);
  });

  it("says which account is missing", async () => {
    await expect(updateAwsAccount("333333333333", { name: "x" }, actor)).rejects.toMatchObject({ code: "not_found", message: "Account 333333333333 is not listed" });
    await expect(deleteAwsAccount("333333333333", actor)).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps what was collected from a removed account", async () => {
    await createAwsAccount({ id: "444444444444", name: "old", environment: "dev", roleArn: arn("444444444444"), regions: [] }, actor);
    const run = await getDb().collectionRun.create({ data: { trigger: "cli", requestedBy: "test", scope: {} }, select: { id: true } });
    await getDb().collectionTarget.create({ data: { runId: run.id, kind: "region", accountId: "444444444444", region: "us-east-1" } });
    await deleteAwsAccount("444444444444", actor);
    expect(await getDb().collectionTarget.count({ where: { accountId: "444444444444" } })).toBe(1);
  });
});

describe("applyAccountsConfig", () => {
  beforeEach(reset);

  const file = {
    externalId: "pw-sandbox-1",
    regions: ["us-east-1", "eu-west-1"],
    accounts: [
      { id: "111111111111", name: "prod-core", environment: "prod", roleArn: arn("111111111111"), regions: ["us-east-1"] },
      { id: "222222222222", name: "staging", environment: "staging", roleArn: arn("222222222222") },
    ],
    organizations: { roleArn: arn("999999999999", "PortwatchOrgReader"), memberRoleName: "PortwatchReadOnly" },
    costExplorer: { roleArn: arn("999999999999", "PortwatchCostReader"), lookbackDays: 30 },
    settings: { trustedAccounts: ["555555555555"], vulnerabilityThreshold: "CRITICAL" },
  };

  it("stores the accounts and the settings, with one audit entry", async () => {
    const result = await applyAccountsConfig(config(file), { id: null, email: "cli:test" });
    expect(result).toEqual({
      created: ["111111111111", "222222222222"],
      updated: [],
      unchanged: [],
      disabled: [],
      settings: ["externalId", "defaultRegions", "organizations", "costExplorer", "trustedAccounts", "vulnerabilityThreshold"],
    });
    expect((await listAwsAccounts()).map((a) => [a.id, a.source, a.enabled, a.regions])).toEqual([
      ["111111111111", "config", true, ["us-east-1"]],
      ["222222222222", "config", true, []],
    ]);
    const settings = await getSettings();
    expect(settings).toMatchObject({
      defaultRegions: ["us-east-1", "eu-west-1"],
      organizations: file.organizations,
      costExplorer: file.costExplorer,
      trustedAccounts: ["555555555555"],
      vulnerabilityThreshold: "CRITICAL",
    });
    expect(await ensureExternalId()).toBe("pw-sandbox-1");
    expect(await audit("accounts.apply_config")).toEqual([
      { targetId: null, actorEmail: "cli:test", details: expect.objectContaining({ created: ["111111111111", "222222222222"] }) },
    ]);

    // The same file again changes nothing.
    expect(await applyAccountsConfig(config(file), actor)).toMatchObject({ created: [], updated: [], unchanged: ["111111111111", "222222222222"], settings: [] });
  });

  it("disables config accounts the file no longer lists, and leaves other sources alone", async () => {
    await applyAccountsConfig(config(file), actor);
    await createAwsAccount({ id: "333333333333", name: "by hand", environment: "dev", roleArn: arn("333333333333"), regions: [] }, actor);
    const result = await applyAccountsConfig(config({ ...file, accounts: [{ ...file.accounts[1], name: "staging-2" }] }), actor);
    expect(result).toMatchObject({ created: [], updated: ["222222222222"], disabled: ["111111111111"] });
    expect((await listAwsAccounts()).map((a) => [a.id, a.enabled, a.name])).toEqual([
      ["333333333333", true, "by hand"],
      ["111111111111", false, "prod-core"],
      ["222222222222", true, "staging-2"],
    ]);
  });

  it("takes over an account added on the page when the file lists it, and clears roles the file dropped", async () => {
    await createAwsAccount({ id: "222222222222", name: "by hand", environment: "dev", roleArn: arn("222222222222", "Other"), regions: [] }, actor);
    await applyAccountsConfig(config(file), actor);
    expect(await getAwsAccount("222222222222")).toMatchObject({ source: "config", name: "staging", roleArn: arn("222222222222") });
    const { organizations: _o, costExplorer: _c, ...withoutRoles } = file;
    await applyAccountsConfig(config(withoutRoles), actor);
    expect(await getSettings()).toMatchObject({ organizations: null, costExplorer: null, vulnerabilityThreshold: "CRITICAL" });
  });

  it("applies nothing when one entry cannot be stored", async () => {
    await applyAccountsConfig(config(file), actor);
    const before = await listAwsAccounts();
    // A config built in code (not parsed) whose second entry breaks a rule the database enforces.
    const bad = config({ ...file, accounts: [{ ...file.accounts[0], name: "renamed" }, { id: "666666666666", name: "x", roleArn: arn("666666666666") }] });
    bad.accounts[1] = { ...bad.accounts[1], roleArn: arn("777777777777") };
    await expect(applyAccountsConfig(bad, actor)).rejects.toMatchObject({ code: "invalid" });
    await getDb().$executeRaw`ALTER TABLE "AwsAccount" ADD CONSTRAINT pw_test_name CHECK (name <> 'explode')`;
    try {
      const exploding = config({ ...file, regions: ["ap-south-1"], accounts: [{ ...file.accounts[0], name: "renamed" }, { id: "666666666666", name: "explode", roleArn: arn("666666666666") }] });
      await expect(applyAccountsConfig(exploding, actor)).rejects.toThrow();
    } finally {
      await getDb().$executeRaw`ALTER TABLE "AwsAccount" DROP CONSTRAINT pw_test_name`;
    }
    expect(await listAwsAccounts()).toEqual(before);
    expect((await getSettings()).defaultRegions).toEqual(["us-east-1", "eu-west-1"]);
    expect(await audit("accounts.apply_config")).toHaveLength(1);
  });
});

describe("mergeOrganizationAccounts", () => {
  beforeEach(reset);

  it("adds only ACTIVE accounts it did not know, with the member role", async () => {
    const result = await mergeOrganizationAccounts(
      [
        { id: "111111111111", name: "payments", email: "p@example.com", status: "ACTIVE" },
        { id: "222222222222", name: "closing", email: "c@example.com", status: "PENDING_CLOSURE" },
        { id: "333333333333", name: "gone", email: "g@example.com", status: "SUSPENDED" },
      ],
      "PortwatchReadOnly",
      actor,
    );
    expect(result).toEqual({ added: ["111111111111"], updated: [], disabled: [] });
    expect(await listAwsAccounts()).toEqual([
      expect.objectContaining({
        id: "111111111111",
        name: "payments",
        source: "organizations",
        enabled: true,
        regions: [],
        roleArn: "arn:aws:iam::111111111111:role/PortwatchReadOnly",
        email: "p@example.com",
        orgStatus: "ACTIVE",
      }),
    ]);
    expect(await audit("accounts.merge_organizations")).toHaveLength(1);
  });

  it("keeps a listed account's name, role and source; disables a discovered one that left ACTIVE", async () => {
    await applyAccountsConfig(config({ regions: ["us-east-1"], accounts: [{ id: "111111111111", name: "prod-core", roleArn: arn("111111111111", "Custom") }] }), actor);
    await mergeOrganizationAccounts([{ id: "222222222222", name: "dev", email: "d@example.com", status: "ACTIVE" }], "PortwatchReadOnly", actor);

    const result = await mergeOrganizationAccounts(
      [
        { id: "111111111111", name: "Prod (org name)", email: "prod@example.com", status: "SUSPENDED" },
        { id: "222222222222", name: "dev", email: "d@example.com", status: "SUSPENDED" },
      ],
      "OtherRole",
      actor,
    );
    expect(result).toEqual({ added: [], updated: ["111111111111"], disabled: ["222222222222"] });
    expect(await getAwsAccount("111111111111")).toMatchObject({
      name: "prod-core",
      roleArn: arn("111111111111", "Custom"),
      source: "config",
      enabled: true,
      email: "prod@example.com",
      orgStatus: "SUSPENDED",
    });
    expect(await getAwsAccount("222222222222")).toMatchObject({ enabled: false, orgStatus: "SUSPENDED" });

    // Nothing new: no audit entry.
    const entries = (await audit("accounts.merge_organizations")).length;
    await mergeOrganizationAccounts([{ id: "222222222222", name: "dev", email: "d@example.com", status: "SUSPENDED" }], "PortwatchReadOnly", actor);
    expect(await audit("accounts.merge_organizations")).toHaveLength(entries);
  });

  it("uses the partition of the Organizations role", async () => {
    await applyAccountsConfig(
      config({ regions: ["cn-north-1"], accounts: [], organizations: { roleArn: "arn:aws-cn:iam::999999999999:role/Org", memberRoleName: "Reader" } }),
      actor,
    );
    await mergeOrganizationAccounts([{ id: "111111111111", name: "cn", email: "", status: "ACTIVE" }], "Reader", actor);
    expect((await getAwsAccount("111111111111"))?.roleArn).toBe("arn:aws-cn:iam::111111111111:role/Reader");
  });
});

describe("getCollectionAccounts", () => {
  beforeEach(reset);

  it("returns the enabled accounts with their own regions, else the default regions", async () => {
    await applyAccountsConfig(
      config({
        regions: ["us-east-1", "eu-west-1"],
        accounts: [
          { id: "111111111111", name: "a", roleArn: arn("111111111111"), regions: ["ap-south-1"] },
          { id: "222222222222", name: "b", roleArn: arn("222222222222") },
          { id: "333333333333", name: "c", roleArn: arn("333333333333") },
        ],
      }),
      actor,
    );
    await setAwsAccountEnabled("333333333333", false, actor);
    expect(await getCollectionAccounts()).toEqual([
      { id: "111111111111", name: "a", environment: "unknown", roleArn: arn("111111111111"), regions: ["ap-south-1"], usesDefaultRegions: false },
      { id: "222222222222", name: "b", environment: "unknown", roleArn: arn("222222222222"), regions: ["us-east-1", "eu-west-1"], usesDefaultRegions: true },
    ]);
    expect((await getCollectionAccounts({ accountIds: ["222222222222", "333333333333", "999999999999"] })).map((a) => a.id)).toEqual(["222222222222"]);
  });
});

describe("external id and connection tests", () => {
  beforeEach(reset);

  it("makes the external id once, even when asked concurrently", async () => {
    expect(await getExternalId()).toBeNull();
    const ids = await Promise.all([ensureExternalId(), ensureExternalId(), ensureExternalId()]);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^pw-[0-9a-f]{20}$/);
    expect(await ensureExternalId()).toBe(ids[0]);
  });

  it("records a running test and its result; an older result never replaces a newer test", async () => {
    await applyAccountsConfig(config({ regions: ["eu-west-1"], accounts: [{ id: "111111111111", name: "a", roleArn: arn("111111111111") }] }), actor);
    const first = await startConnectionTestRecord("111111111111", { id: null, email: "admin@example.com" });
    expect(first).toMatchObject({ roleArn: arn("111111111111"), regions: ["eu-west-1"] });
    expect((await getConnectionTest("111111111111"))?.lastTest).toMatchObject({ status: "running", requestedBy: "admin@example.com" });
    expect(await audit("account.connection_test")).toHaveLength(1);

    const finished = {
      status: "finished" as const,
      ...first,
      requestedBy: "admin@example.com",
      finishedAt: new Date(Date.parse(first.startedAt) + 1000).toISOString(),
      ok: false,
      assumeRole: { ok: true as const, identityArn: "arn:aws:sts::111111111111:assumed-role/PortwatchReadOnly/portwatch" },
      regionResults: [
        {
          region: "eu-west-1",
          ok: false,
          operation: "ecr:DescribeRegistry",
          failure: { accountId: "111111111111", region: "eu-west-1", service: "ecr", operation: "DescribeRegistry", errorName: "AccessDeniedException", message: "denied", kind: "access-denied" },
        },
      ],
    };
    expect(await recordConnectionTest("111111111111", finished)).toBe(true);
    expect((await getAwsAccount("111111111111"))?.lastTest).toEqual(finished);

    const stale = { ...finished, startedAt: new Date(Date.parse(first.startedAt) - 60_000).toISOString() };
    expect(await recordConnectionTest("111111111111", stale)).toBe(false);
    expect((await getAwsAccount("111111111111"))?.lastTest).toEqual(finished);
    expect(await recordConnectionTest("999999999999", finished)).toBe(false);
    expect(await getConnectionTest("999999999999")).toBeNull();
  });
});
