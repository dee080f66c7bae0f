import { z } from "zod";
import { plainText } from "@/lib/actions/text.schema";
import { isAwsRegion } from "@/lib/regions";

/**
 * The accounts config file (`portwatch.config.json`, DESIGN.md "Accounts config") and the
 * single-field rules the Accounts page form shares with it. Pure: no I/O.
 *
 * Messages are written to follow a field's name ("Account id must be exactly 12 digits",
 * "accounts[2].id: must be exactly 12 digits").
 */

export const VULNERABILITY_THRESHOLDS = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"] as const;
export type VulnerabilityThreshold = (typeof VULNERABILITY_THRESHOLDS)[number];

export const AWS_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

const ACCOUNT_ID = /^\d{12}$/;
// IAM names: letters, digits and +=,.@_- (IAM's own rule); a role name is at most 64 characters.
const IAM_NAME = /^[\w+=,.@-]+$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]+$/;

export const accountIdSchema = z
  .string()
  .trim()
  .regex(ACCOUNT_ID, "must be exactly 12 digits");

export const iamRoleNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(IAM_NAME, "may contain only letters, digits and + = , . @ _ -");

export interface ParsedRoleArn {
  partition: (typeof AWS_PARTITIONS)[number];
  accountId: string;
  /** "/" or "/a/b/" */
  path: string;
  roleName: string;
}

const ROLE_ARN_EXAMPLE = "arn:aws:iam::111111111111:role/PortwatchReadOnly";

/** Why `arn` is not an IAM role ARN, or null when it is one. */
export function roleArnProblem(arn: string): string | null {
  const parts = arn.split(":");
  if (parts.length !== 6 || parts[0] !== "arn" || parts[2] !== "iam" || parts[3] !== "") {
    return `must be an IAM role ARN such as ${ROLE_ARN_EXAMPLE}`;
  }
  const [, partition, , , accountId, resource] = parts;
  if (!(AWS_PARTITIONS as readonly string[]).includes(partition)) {
    return `has partition "${partition.slice(0, 20)}"; it must be aws, aws-cn or aws-us-gov`;
  }
  if (!ACCOUNT_ID.test(accountId)) return "must name a 12-digit account id after \"iam::\"";
  if (!resource.startsWith("role/")) return `must name a role ("...:role/RoleName"), not "${resource.slice(0, 40)}"`;
  const segments = resource.slice("role/".length).split("/");
  const roleName = segments.pop()!;
  if (roleName === "") return "must end with a role name";
  if (roleName.length > 64) return "has a role name longer than 64 characters";
  if (!IAM_NAME.test(roleName)) return "has a role name with characters IAM does not allow (only letters, digits and + = , . @ _ -)";
  if (segments.some((s) => s === "" || !IAM_NAME.test(s)) || resource.length > 5 + 512 + 64) {
    return "has a role path with characters IAM does not allow";
  }
  return null;
}

export function parseRoleArn(arn: string): ParsedRoleArn | null {
  if (roleArnProblem(arn) !== null) return null;
  const [, partition, , , accountId, resource] = arn.split(":");
  const segments = resource.slice("role/".length).split("/");
  const roleName = segments.pop()!;
  return {
    partition: partition as ParsedRoleArn["partition"],
    accountId,
    path: segments.length ? `/${segments.join("/")}/` : "/",
    roleName,
  };
}

export const roleArnSchema = z
  .string()
  .trim()
  .max(2048, "is too long")
  .superRefine((arn, ctx) => {
    const problem = roleArnProblem(arn);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const externalIdSchema = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(1224, "must be at most 1224 characters")
  .regex(EXTERNAL_ID, "may contain only letters, digits and + = , . @ : / _ -");

/** A list of known AWS regions (lib/regions.ts), duplicates dropped. Empty is allowed here. */
export const regionListSchema = z
  .array(z.string().trim())
  .max(40, "must list at most 40 regions")
  .superRefine((regions, ctx) => {
    const unknown = regions.filter((region) => !isAwsRegion(region));
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        message: `${unknown.map((r) => `"${r.slice(0, 40)}"`).join(", ")} ${unknown.length === 1 ? "is not a known AWS region" : "are not known AWS regions"}`,
      });
    }
  })
  .transform((regions) => [...new Set(regions)]);

export const environmentSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,19}$/, "must be a short lowercase word such as prod, staging, dev, shared or unknown");

export const accountNameSchema = plainText(
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(80, "must be at most 80 characters"),
);

export const vulnerabilityThresholdSchema = z.enum(VULNERABILITY_THRESHOLDS, `must be one of ${VULNERABILITY_THRESHOLDS.join(", ")}`);

export const lookbackDaysSchema = z
  .number()
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(395, "must be at most 395 days (about 13 months: what Cost Explorer keeps)");

/** The role ARN must live in the account it is listed for: a typo there would test or collect another account. */
function refineRoleInAccount(value: { id: string; roleArn: string }, ctx: z.RefinementCtx) {
  const arn = parseRoleArn(value.roleArn);
  if (arn && ACCOUNT_ID.test(value.id) && arn.accountId !== value.id) {
    ctx.addIssue({
      code: "custom",
      path: ["roleArn"],
      message: `is in account ${arn.accountId}, but the account id is ${value.id}: the role must be in the account it reads`,
    });
  }
}

export const configAccountSchema = z
  .strictObject({
    id: accountIdSchema,
    name: accountNameSchema,
    environment: environmentSchema.default("unknown"),
    roleArn: roleArnSchema,
    regions: regionListSchema.optional(),
  })
  .superRefine(refineRoleInAccount);

export const organizationsConfigSchema = z.strictObject({
  roleArn: roleArnSchema,
  memberRoleName: iamRoleNameSchema,
});

export const costExplorerConfigSchema = z.strictObject({
  roleArn: roleArnSchema,
  lookbackDays: lookbackDaysSchema.default(90),
});

export const trustedAccountsSchema = z.array(accountIdSchema).max(1000, "must list at most 1000 accounts");

export const accountsConfigSchema = z.strictObject({
  externalId: externalIdSchema.optional(),
  /** The default regions: collected for every account that does not list its own. */
  regions: regionListSchema.refine((r) => r.length > 0, "must list at least one region"),
  accounts: z
    .array(configAccountSchema)
    .max(10_000, "must list at most 10000 accounts")
    .superRefine((accounts, ctx) => {
      const first = new Map<string, number>();
      accounts.forEach((account, index) => {
        const seen = first.get(account.id);
        if (seen === undefined) first.set(account.id, index);
        else ctx.addIssue({ code: "custom", path: [index, "id"], message: `${account.id} is already listed as accounts[${seen}]` });
      });
    })
    .default([]),
  organizations: organizationsConfigSchema.optional(),
  costExplorer: costExplorerConfigSchema.optional(),
  settings: z
    .strictObject({
      trustedAccounts: trustedAccountsSchema.optional(),
      vulnerabilityThreshold: vulnerabilityThresholdSchema.optional(),
    })
    .optional(),
});

export type AccountsConfig = z.output<typeof accountsConfigSchema>;
export type ConfigAccount = AccountsConfig["accounts"][number];

/** `accounts[2].roleArn`; the whole file is "(top level)". */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

// Plain words for the issues no schema message covers (a missing field, a wrong JSON type).
const plainWords: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "is required";
    return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === "unrecognized_keys") {
    return `${issue.keys.length === 1 ? "has an unknown key" : "has unknown keys"} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  return undefined;
};

export type ParseAccountsConfigResult = { ok: true; config: AccountsConfig } | { ok: false; issues: string[] };

export function parseAccountsConfig(json: unknown): ParseAccountsConfigResult {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, issues: ["(top level): must be a JSON object with an \"accounts\" list"] };
  }
  const parsed = accountsConfigSchema.safeParse(json, { error: plainWords });
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`) };
}
