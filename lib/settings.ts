import cronParser from "cron-parser";
import { z } from "zod";
import {
  costExplorerConfigSchema,
  organizationsConfigSchema,
  regionListSchema,
  trustedAccountsSchema,
  vulnerabilityThresholdSchema,
} from "./accounts/config-schema";

// cron-parser is CommonJS: its functions are reached through the default export under Node's ESM loader (the CLI).
const { parseExpression } = cronParser;

/** Five fields (minute hour day-of-month month day-of-week), read in UTC. */
export const cronScheduleSchema = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .superRefine((expression, ctx) => {
    const fields = expression.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) {
      ctx.addIssue({
        code: "custom",
        message: `must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}; for example 0 */6 * * *`,
      });
      return;
    }
    try {
      parseExpression(expression, { utc: true });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}` });
    }
  })
  .transform((expression) => expression.split(/\s+/).filter(Boolean).join(" "));

/** The next `count` times a valid cron expression fires after `from`, in UTC. */
export function nextCronRuns(expression: string, count: number, from: Date = new Date()): Date[] {
  const interval = parseExpression(expression, { utc: true, currentDate: from });
  return Array.from({ length: count }, () => interval.next().toDate());
}

/**
 * Installation-wide settings: each key's schema, default and label. Stored as JSON in the
 * Setting table; a stored value that no longer parses falls back to the default.
 */
export const SETTINGS = {
  organisationName: {
    label: "Organisation name",
    help: "Shown in the header and on evidence exports.",
    schema: z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters"),
    default: "My AWS organisation",
  },
  defaultRegions: {
    label: "Default regions",
    help: "Regions collected for accounts that do not list their own.",
    schema: regionListSchema.refine((regions) => regions.length > 0, "must list at least one region"),
    default: ["us-east-1"],
  },
  collectSchedule: {
    label: "Collection schedule",
    help: "When a collection run starts, as a 5-field cron expression in UTC.",
    schema: cronScheduleSchema,
    default: "0 */6 * * *",
  },
  organizations: {
    label: "Organizations discovery role",
    help: "The management account's role that lists member accounts, and the role name to assume in each. Set from the accounts config file.",
    schema: organizationsConfigSchema.nullable(),
    default: null,
  },
  costExplorer: {
    label: "Cost Explorer role",
    help: "The payer account's role that reads ECR cost, and how many days back to read. Set from the accounts config file.",
    schema: costExplorerConfigSchema.nullable(),
    default: null,
  },
  trustedAccounts: {
    label: "Trusted accounts",
    help: "Accounts outside the organisation that repository and registry policies may grant access to without failing a check.",
    schema: trustedAccountsSchema.transform((ids) => [...new Set(ids)]),
    default: [],
  },
  vulnerabilityThreshold: {
    label: "Vulnerability threshold",
    help: "The lowest severity that makes an image fail the vulnerability checks.",
    schema: vulnerabilityThresholdSchema,
    default: "HIGH",
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]["schema"]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function parseSetting<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const parsed = SETTINGS[key].schema.safeParse(raw);
  return (parsed.success ? parsed.data : SETTINGS[key].default) as SettingValue<K>;
}
