import { z } from "zod";
import { isAwsRegion } from "./regions";

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
    schema: z
      .array(z.string().trim())
      .superRefine((regions, ctx) => {
        const unknown = regions.filter((region) => !isAwsRegion(region));
        if (unknown.length) {
          ctx.addIssue({
            code: "custom",
            message: `${unknown.map((r) => `"${r.slice(0, 40)}"`).join(", ")} ${unknown.length === 1 ? "is not a known AWS region" : "are not known AWS regions"}`,
          });
        }
      })
      .min(1, "must list at least one region")
      .max(40, "must list at most 40 regions")
      .transform((regions) => [...new Set(regions)]),
    default: ["us-east-1"],
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
