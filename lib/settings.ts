import cronParser from "cron-parser";
import { z } from "zod";
import {
  costExplorerConfigSchema,
  organizationsConfigSchema,
  regionListSchema,
  trustedAccountsSchema,
  vulnerabilityThresholdSchema,
} from "./accounts/config-schema";
import { type ComplianceSettings, DEFAULT_COMPLIANCE_SETTINGS } from "./compliance/types";
import { parseRegionPrice } from "./cost/pricing";

// cron-parser is CommonJS: its functions are reached through the default export under Node's ESM loader (the CLI).
const { parseExpression } = cronParser;

const GIB = 1024 ** 3;
const wildcardList = z
  .array(z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters").regex(/^[A-Za-z0-9._\/*-]+$/, "may hold letters, digits, . _ - / and *"))
  .max(20, "must list at most 20 patterns");

/** "<region>=<USD per GB-month>" entries: regions whose ECR storage price differs from the default. */
const regionPriceList = z
  .array(z.string().trim())
  .max(40, "must list at most 40 regions")
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    for (const entry of entries) {
      const parsed = parseRegionPrice(entry);
      if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: `"${entry.slice(0, 60)}" ${parsed}` });
      else if (seen.has(parsed.region)) ctx.addIssue({ code: "custom", message: `lists ${parsed.region} twice` });
      else seen.add(parsed.region);
    }
  });

/** The thresholds the checks read (spec/CONTROLS.md gives the defaults). Sizes in GiB, money in USD. */
export const complianceThresholdsSchema = z
  .object({
    scanStalenessDays: z.number().int().min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
    exclusionsFailImmutability: z.boolean(),
    lifecycleUntaggedDays: z.number().int().min(1, "must be at least 1 day").max(365, "must be at most 365 days"),
    lifecycleMaxTaggedImages: z.number().int().min(1, "must be at least 1").max(10_000, "must be at most 10000"),
    allowedKmsKeys: z.array(z.string().regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, "must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)")).max(100, "must list at most 100 keys"),
    maxImageGiB: z.number().positive("must be more than 0").max(1000, "must be at most 1000 GiB"),
    maxImageLayers: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"),
    staleImageDays: z.number().int().min(1, "must be at least 1 day").max(3650, "must be at most 3650 days"),
    maxStaleGiB: z.number().min(0, "must not be negative").max(100_000, "must be at most 100000 GiB"),
    maxCrossRegionTransferUsd: z.number().min(0, "must not be negative").max(1_000_000, "must be at most 1000000"),
    crossRegionTransferDays: z.number().int().min(1, "must be at least 1 day").max(90, "must be at most 90 days"),
    storagePricePerGbMonth: z.number().positive("must be more than 0").max(10, "must be at most 10"),
    regionStoragePrices: regionPriceList,
    archivePricePerGbMonth: z.number().positive("must be more than 0").max(10, "must be at most 10"),
    environmentTagKey: z.string().trim().min(1, "must not be empty").max(128, "must be at most 128 characters"),
    prodNamePatterns: wildcardList,
    devNamePatterns: wildcardList,
  })
  .strict();
export type ComplianceThresholds = z.output<typeof complianceThresholdsSchema>;

const d = DEFAULT_COMPLIANCE_SETTINGS;
export const DEFAULT_COMPLIANCE_THRESHOLDS: ComplianceThresholds = {
  scanStalenessDays: d.scanStalenessDays,
  exclusionsFailImmutability: d.exclusionsFailImmutability,
  lifecycleUntaggedDays: d.lifecycleUntaggedDays,
  lifecycleMaxTaggedImages: d.lifecycleMaxTaggedImages,
  allowedKmsKeys: d.allowedKmsKeys,
  maxImageGiB: d.maxImageBytes / GIB,
  maxImageLayers: d.maxImageLayers,
  staleImageDays: d.staleImageDays,
  maxStaleGiB: d.maxStaleBytes / GIB,
  maxCrossRegionTransferUsd: d.maxCrossRegionTransferUsd,
  crossRegionTransferDays: d.crossRegionTransferDays,
  storagePricePerGbMonth: d.storagePricePerGbMonth,
  regionStoragePrices: Object.entries(d.regionStoragePrices).map(([region, price]) => `${region}=${price}`),
  archivePricePerGbMonth: d.archivePricePerGbMonth,
  environmentTagKey: d.environment.tagKey,
  prodNamePatterns: d.environment.prodNamePatterns,
  devNamePatterns: d.environment.devNamePatterns,
};

/** The checks' settings from the stored ones. */
export function toComplianceSettings(settings: Pick<Settings, "complianceThresholds" | "vulnerabilityThreshold" | "trustedAccounts">): ComplianceSettings {
  const t = settings.complianceThresholds;
  return {
    vulnerabilityThreshold: settings.vulnerabilityThreshold,
    trustedAccounts: settings.trustedAccounts,
    scanStalenessDays: t.scanStalenessDays,
    exclusionsFailImmutability: t.exclusionsFailImmutability,
    lifecycleUntaggedDays: t.lifecycleUntaggedDays,
    lifecycleMaxTaggedImages: t.lifecycleMaxTaggedImages,
    allowedKmsKeys: t.allowedKmsKeys,
    maxImageBytes: Math.round(t.maxImageGiB * GIB),
    maxImageLayers: t.maxImageLayers,
    staleImageDays: t.staleImageDays,
    maxStaleBytes: Math.round(t.maxStaleGiB * GIB),
    maxCrossRegionTransferUsd: t.maxCrossRegionTransferUsd,
    crossRegionTransferDays: t.crossRegionTransferDays,
    storagePricePerGbMonth: t.storagePricePerGbMonth,
    regionStoragePrices: Object.fromEntries(t.regionStoragePrices.map(parseRegionPrice).filter((p) => typeof p !== "string").map((p) => [p.region, p.price])),
    archivePricePerGbMonth: t.archivePricePerGbMonth,
    environment: { tagKey: t.environmentTagKey, prodNamePatterns: t.prodNamePatterns, devNamePatterns: t.devNamePatterns },
  };
}

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
  complianceThresholds: {
    label: "Compliance thresholds",
    help: "The numbers the checks compare against (spec/CONTROLS.md gives the defaults). A change re-evaluates the latest run.",
    schema: complianceThresholdsSchema,
    default: DEFAULT_COMPLIANCE_THRESHOLDS,
  },
  resultRetentionRuns: {
    label: "Full results kept",
    help: "How many recent runs keep every result with its evidence; older runs keep only the daily counts (kept for years).",
    schema: z.number().int().min(2, "must be at least 2 runs").max(1000, "must be at most 1000 runs"),
    default: 30,
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
