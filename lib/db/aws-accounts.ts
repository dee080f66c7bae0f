import "server-only";
import { isDeepStrictEqual } from "node:util";
import type { AccountsConfig } from "@/lib/accounts/config-schema";
import { parseRoleArn } from "@/lib/accounts/config-schema";
import { type ConnectionTestState, readConnectionTestState } from "@/lib/accounts/connection-test-state";
import { generateExternalId } from "@/lib/accounts/external-id";
import type { OrganizationAccountRecord } from "@/lib/aws/types";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseSetting, type SettingKey, type Settings } from "@/lib/settings";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

type Tx = Prisma.TransactionClient;

export type AccountSource = "config" | "organizations" | "ui";

export interface AwsAccountRow {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  /** Empty: the account uses the default regions setting. */
  regions: string[];
  enabled: boolean;
  source: AccountSource;
  email: string | null;
  orgStatus: string | null;
  lastTestAt: Date | null;
  lastTest: ConnectionTestState | null;
  createdAt: Date;
  updatedAt: Date;
}

const accountSelect = {
  id: true,
  name: true,
  environment: true,
  roleArn: true,
  regions: true,
  enabled: true,
  source: true,
  email: true,
  orgStatus: true,
  lastTestAt: true,
  lastTest: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.AwsAccountSelect;

function toRow(account: Prisma.AwsAccountGetPayload<{ select: typeof accountSelect }>): AwsAccountRow {
  return { ...account, lastTest: readConnectionTestState(account.lastTest) };
}

const SOURCE_LABEL: Record<AccountSource, string> = { config: "the config file", organizations: "Organizations", ui: "the Accounts page" };

export async function listAwsAccounts(): Promise<AwsAccountRow[]> {
  const accounts = await getDb().awsAccount.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }], select: accountSelect });
  return accounts.map(toRow);
}

export async function countAwsAccounts(): Promise<number> {
  return getDb().awsAccount.count();
}

export async function getAwsAccount(id: string): Promise<AwsAccountRow | null> {
  const account = await getDb().awsAccount.findUnique({ where: { id }, select: accountSelect });
  return account ? toRow(account) : null;
}

// ---------------------------------------------------------------------------------------------
// Installation-wide values kept in the Setting table outside SETTINGS (not editable in a form).

const EXTERNAL_ID_KEY = "externalId";

/**
 * The installation's external id, made on first use. Two processes starting at once agree:
 * the first insert wins and both read the stored one.
 */
export async function ensureExternalId(): Promise<string> {
  // Read first: every collected target asks, and only the first start has to write.
  const existing = await getExternalId();
  if (existing) return existing;
  const db = getDb();
  await db.setting.createMany({ data: [{ key: EXTERNAL_ID_KEY, value: generateExternalId() }], skipDuplicates: true });
  const row = await db.setting.findUniqueOrThrow({ where: { key: EXTERNAL_ID_KEY }, select: { value: true } });
  if (typeof row.value !== "string" || row.value === "") throw new Error("The stored external id is not a string");
  return row.value;
}

/** For display: null until ensureExternalId() has run once. */
export async function getExternalId(): Promise<string | null> {
  const row = await getDb().setting.findUnique({ where: { key: EXTERNAL_ID_KEY }, select: { value: true } });
  return typeof row?.value === "string" ? row.value : null;
}

async function readSettings(tx: Tx, keys: SettingKey[]): Promise<Partial<Settings>> {
  const rows = await tx.setting.findMany({ where: { key: { in: keys } }, select: { key: true, value: true } });
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  return Object.fromEntries(keys.map((key) => [key, parseSetting(key, stored.get(key))]));
}

async function writeSetting(tx: Tx, key: string, value: unknown, actor: Actor): Promise<void> {
  const json = value === null ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
  await tx.setting.upsert({
    where: { key },
    create: { key, value: json, updatedById: actor.id },
    update: { value: json, updatedById: actor.id },
  });
}

// ---------------------------------------------------------------------------------------------
// One account at a time (the Accounts page).

export interface AwsAccountInput {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  regions: string[];
}

function assertRoleInAccount(id: string, roleArn: string) {
  const arn = parseRoleArn(roleArn);
  if (!arn) throw new AppError("invalid", `Role ARN ${roleArn.slice(0, 100)} is not an IAM role ARN`);
  if (arn.accountId !== id) {
    throw new AppError("invalid", `Role ARN is in account ${arn.accountId}, but the account id is ${id}: the role must be in the account it reads`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

async function lockedAccount(tx: Tx, id: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "AwsAccount" WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) throw new AppError("not_found", `Account ${id} is not listed`);
  return tx.awsAccount.findUniqueOrThrow({ where: { id }, select: accountSelect });
}

export async function createAwsAccount(input: AwsAccountInput, actor: Actor): Promise<AwsAccountRow> {
  assertRoleInAccount(input.id, input.roleArn);
  try {
    return await getDb().$transaction(async (tx) => {
      const existing = await tx.awsAccount.findUnique({ where: { id: input.id }, select: { name: true, source: true } });
      if (existing) {
        throw new AppError("conflict", `Account ${input.id} is already listed (as ${existing.name}, from ${SOURCE_LABEL[existing.source]})`);
      }
      const account = await tx.awsAccount.create({ data: { ...input, source: "ui", enabled: true }, select: accountSelect });
      await writeAudit(tx, actor, {
        action: "account.create",
        targetType: "aws_account",
        targetId: input.id,
        details: { name: input.name, environment: input.environment, roleArn: input.roleArn, regions: input.regions },
      });
      return toRow(account);
    });
  } catch (error) {
    // Two admins adding the same account at the same moment.
    if (isUniqueViolation(error)) throw new AppError("conflict", `Account ${input.id} is already listed`);
    throw error;
  }
}

export type AwsAccountChanges = Partial<Omit<AwsAccountInput, "id">>;

export async function updateAwsAccount(id: string, changes: AwsAccountChanges, actor: Actor): Promise<AwsAccountRow> {
  if (changes.roleArn !== undefined) assertRoleInAccount(id, changes.roleArn);
  return getDb().$transaction(async (tx) => {
    const current = await lockedAccount(tx, id);
    const changed = (Object.keys(changes) as (keyof AwsAccountChanges)[]).filter(
      (key) => changes[key] !== undefined && !isDeepStrictEqual(changes[key], current[key]),
    );
    if (changed.length === 0) return toRow(current);
    const data = Object.fromEntries(changed.map((key) => [key, changes[key]]));
    const updated = await tx.awsAccount.update({ where: { id }, data, select: accountSelect });
    await writeAudit(tx, actor, {
      action: "account.update",
      targetType: "aws_account",
      targetId: id,
      details: {
        from: Object.fromEntries(changed.map((key) => [key, current[key]])),
        to: data as Prisma.InputJsonObject,
      },
    });
    return toRow(updated);
  });
}

export async function setAwsAccountEnabled(id: string, enabled: boolean, actor: Actor): Promise<AwsAccountRow> {
  return getDb().$transaction(async (tx) => {
    const current = await lockedAccount(tx, id);
    if (current.enabled === enabled) return toRow(current);
    const updated = await tx.awsAccount.update({ where: { id }, data: { enabled }, select: accountSelect });
    await writeAudit(tx, actor, {
      action: enabled ? "account.enable" : "account.disable",
      targetType: "aws_account",
      targetId: id,
      details: { name: current.name },
    });
    return toRow(updated);
  });
}

/**
 * Removes the account from the list: it is no longer collected. What was collected from it
 * (inventory, results, costs, runs) is keyed by account id, not linked to this row, and stays.
 */
export async function deleteAwsAccount(id: string, actor: Actor): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const current = await lockedAccount(tx, id);
    await tx.awsAccount.delete({ where: { id } });
    await writeAudit(tx, actor, {
      action: "account.delete",
      targetType: "aws_account",
      targetId: id,
      details: { name: current.name, source: current.source, roleArn: current.roleArn },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The accounts config file.

export interface ApplyConfigResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Config accounts no longer in the file: disabled, not deleted, so their history stays. */
  disabled: string[];
  /** Settings the file changed (externalId included when it was replaced). */
  settings: string[];
}

// trustedAccounts and vulnerabilityThreshold are set only when the file names them (they may be
// set elsewhere too); organizations and costExplorer come only from the file, so a file without
// them clears them; defaultRegions is the file's required "regions".
const CONFIG_SETTING_KEYS = ["defaultRegions", "organizations", "costExplorer", "trustedAccounts", "vulnerabilityThreshold"] as const satisfies SettingKey[];

function settingsFromConfig(config: AccountsConfig): Partial<Settings> {
  const next: Partial<Settings> = {
    defaultRegions: config.regions,
    organizations: config.organizations ?? null,
    costExplorer: config.costExplorer ?? null,
  };
  if (config.settings?.trustedAccounts) next.trustedAccounts = [...new Set(config.settings.trustedAccounts)];
  if (config.settings?.vulnerabilityThreshold) next.vulnerabilityThreshold = config.settings.vulnerabilityThreshold;
  return next;
}

/**
 * Makes the stored accounts and settings match a validated config file, in one transaction:
 * either all of it is applied or none. Listed accounts become source=config and enabled (the
 * file is their source of truth); config accounts the file no longer lists are disabled.
 */
export async function applyAccountsConfig(config: AccountsConfig, actor: Actor): Promise<ApplyConfigResult> {
  for (const account of config.accounts) assertRoleInAccount(account.id, account.roleArn);
  return getDb().$transaction(
    async (tx) => {
      const result: ApplyConfigResult = { created: [], updated: [], unchanged: [], disabled: [], settings: [] };
      const ids = config.accounts.map((a) => a.id);
      const existing = new Map(
        (await tx.awsAccount.findMany({ where: { id: { in: ids } }, select: accountSelect })).map((a) => [a.id, a]),
      );
      for (const account of config.accounts) {
        const data = {
          name: account.name,
          environment: account.environment,
          roleArn: account.roleArn,
          regions: account.regions ?? [],
          source: "config" as const,
          enabled: true,
        };
        const current = existing.get(account.id);
        if (!current) {
          await tx.awsAccount.create({ data: { id: account.id, ...data } });
          result.created.push(account.id);
        } else if ((Object.keys(data) as (keyof typeof data)[]).some((key) => !isDeepStrictEqual(current[key], data[key]))) {
          await tx.awsAccount.update({ where: { id: account.id }, data });
          result.updated.push(account.id);
        } else {
          result.unchanged.push(account.id);
        }
      }
      const removed = await tx.awsAccount.findMany({
        where: { source: "config", enabled: true, id: { notIn: ids } },
        select: { id: true },
      });
      if (removed.length) {
        await tx.awsAccount.updateMany({ where: { id: { in: removed.map((r) => r.id) } }, data: { enabled: false } });
        result.disabled = removed.map((r) => r.id).sort();
      }

      if (config.externalId !== undefined) {
        const stored = await tx.setting.findUnique({ where: { key: EXTERNAL_ID_KEY }, select: { value: true } });
        if (stored?.value !== config.externalId) {
          await writeSetting(tx, EXTERNAL_ID_KEY, config.externalId, actor);
          result.settings.push(EXTERNAL_ID_KEY);
        }
      }
      const next = settingsFromConfig(config);
      const current = await readSettings(tx, [...CONFIG_SETTING_KEYS]);
      for (const key of CONFIG_SETTING_KEYS) {
        if (key in next && !isDeepStrictEqual(next[key], current[key])) {
          await writeSetting(tx, key, next[key], actor);
          result.settings.push(key);
        }
      }

      await writeAudit(tx, actor, {
        action: "accounts.apply_config",
        targetType: "accounts_config",
        details: {
          created: result.created,
          updated: result.updated,
          disabled: result.disabled,
          unchanged: result.unchanged.length,
          settings: result.settings,
        },
      });
      return result;
    },
    // A 10 000-account file is a few thousand statements.
    { timeout: 120_000 },
  );
}

// ---------------------------------------------------------------------------------------------
// Organizations discovery.

export interface MergeOrganizationResult {
  /** ACTIVE accounts Portwatch did not know: added, enabled, with the member role. */
  added: string[];
  /** Known accounts whose email or Organizations status changed. */
  updated: string[];
  /** Discovered accounts that are no longer ACTIVE: disabled. */
  disabled: string[];
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Merges what Organizations' ListAccounts returned. Listed accounts (config, UI) keep their
 * name, role and source; only their email and status are refreshed. An account that leaves
 * ACTIVE is disabled only when Organizations is what added it; one that becomes ACTIVE again
 * stays as it is (an admin decides to enable it). Member roles are in the partition of the
 * Organizations role (`arn:aws:...` unless that role is in aws-cn or aws-us-gov).
 */
export async function mergeOrganizationAccounts(
  records: readonly OrganizationAccountRecord[],
  memberRoleName: string,
  actor: Actor,
): Promise<MergeOrganizationResult> {
  const valid = records.filter((r) => ACCOUNT_ID.test(r.id));
  return getDb().$transaction(
    async (tx) => {
      const result: MergeOrganizationResult = { added: [], updated: [], disabled: [] };
      const { organizations } = await readSettings(tx, ["organizations"]);
      const partition = (organizations && parseRoleArn(organizations.roleArn)?.partition) || "aws";
      const known = new Map(
        (
          await tx.awsAccount.findMany({
            where: { id: { in: valid.map((r) => r.id) } },
            select: { id: true, source: true, enabled: true, email: true, orgStatus: true },
          })
        ).map((a) => [a.id, a]),
      );
      for (const record of valid) {
        const current = known.get(record.id);
        const active = record.status === "ACTIVE";
        if (!current) {
          if (!active) continue;
          await tx.awsAccount.create({
            data: {
              id: record.id,
              name: record.name.trim().slice(0, 80) || record.id,
              environment: "unknown",
              roleArn: `arn:${partition}:iam::${record.id}:role/${memberRoleName}`,
              regions: [],
              source: "organizations",
              enabled: true,
              email: record.email || null,
              orgStatus: record.status,
            },
          });
          known.set(record.id, { id: record.id, source: "organizations", enabled: true, email: record.email, orgStatus: record.status });
          result.added.push(record.id);
          continue;
        }
        const disable = !active && current.source === "organizations" && current.enabled;
        if (current.email === (record.email || null) && current.orgStatus === record.status && !disable) continue;
        await tx.awsAccount.update({
          where: { id: record.id },
          data: { email: record.email || null, orgStatus: record.status, ...(disable ? { enabled: false } : {}) },
        });
        (disable ? result.disabled : result.updated).push(record.id);
      }
      if (result.added.length || result.updated.length || result.disabled.length) {
        await writeAudit(tx, actor, {
          action: "accounts.merge_organizations",
          targetType: "accounts",
          details: { ...result, memberRoleName },
        });
      }
      return result;
    },
    { timeout: 120_000 },
  );
}

// ---------------------------------------------------------------------------------------------
// Collection and connection tests.

export interface CollectionAccount {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  /** The account's own regions, else the default regions setting. */
  regions: string[];
  usesDefaultRegions: boolean;
}

/**
 * The enabled accounts to collect, with their effective regions. `accountIds` narrows the list;
 * ids that are unknown or disabled are simply absent (the caller names them).
 */
export async function getCollectionAccounts(filter: { accountIds?: string[] } = {}): Promise<CollectionAccount[]> {
  const db = getDb();
  const [accounts, defaults] = await Promise.all([
    db.awsAccount.findMany({
      where: { enabled: true, ...(filter.accountIds?.length ? { id: { in: filter.accountIds } } : {}) },
      orderBy: { id: "asc" },
      select: { id: true, name: true, environment: true, roleArn: true, regions: true },
    }),
    readSettings(db, ["defaultRegions"]),
  ]);
  return accounts.map((account) => ({
    ...account,
    regions: account.regions.length ? account.regions : defaults.defaultRegions!,
    usesDefaultRegions: account.regions.length === 0,
  }));
}

/**
 * Marks a connection test as running (with an audit entry: who tested which account) and returns
 * what the test needs. The result arrives later through recordConnectionTest.
 */
export async function startConnectionTestRecord(
  accountId: string,
  actor: Actor,
): Promise<{ startedAt: string; roleArn: string; regions: string[] }> {
  return getDb().$transaction(async (tx) => {
    const account = await lockedAccount(tx, accountId);
    const { defaultRegions } = await readSettings(tx, ["defaultRegions"]);
    const regions = account.regions.length ? account.regions : defaultRegions!;
    const state: ConnectionTestState = {
      status: "running",
      startedAt: new Date().toISOString(),
      requestedBy: actor.email,
      roleArn: account.roleArn,
      regions,
    };
    await tx.awsAccount.update({
      where: { id: accountId },
      data: { lastTest: state as Prisma.InputJsonObject, lastTestAt: new Date(state.startedAt) },
    });
    await writeAudit(tx, actor, {
      action: "account.connection_test",
      targetType: "aws_account",
      targetId: accountId,
      details: { roleArn: account.roleArn, regions },
    });
    return { startedAt: state.startedAt, roleArn: account.roleArn, regions };
  });
}

/**
 * Stores a test's state. An older test's result never replaces a newer one (two admins pressing
 * Test one after the other). Returns false when nothing was written (account removed, or stale).
 */
export async function recordConnectionTest(accountId: string, state: ConnectionTestState): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ lastTest: unknown }[]>`SELECT "lastTest" FROM "AwsAccount" WHERE id = ${accountId} FOR UPDATE`;
    if (rows.length === 0) return false;
    const stored = readConnectionTestState(rows[0].lastTest);
    if (stored && Date.parse(stored.startedAt) > Date.parse(state.startedAt)) return false;
    const at = state.status === "running" ? state.startedAt : state.finishedAt;
    await tx.awsAccount.update({
      where: { id: accountId },
      data: { lastTest: state as Prisma.InputJsonObject, lastTestAt: new Date(at) },
    });
    return true;
  });
}

/** For the poller: the stored state of the last test, or null (no such account, or never tested). */
export async function getConnectionTest(accountId: string): Promise<{ lastTest: ConnectionTestState | null } | null> {
  const row = await getDb().awsAccount.findUnique({ where: { id: accountId }, select: { lastTest: true } });
  return row ? { lastTest: readConnectionTestState(row.lastTest) } : null;
}
