import { z } from "zod";
import { SETTINGS } from "@/lib/settings";
import { plainText } from "./text.schema";

export const updateSettingsSchema = z.object({
  organisationName: plainText(SETTINGS.organisationName.schema),
  // One region per line or comma-separated, as typed in the form.
  defaultRegions: z
    .string()
    .max(2000, "is too long")
    .transform((text) => text.split(/[\s,]+/).filter(Boolean))
    .pipe(SETTINGS.defaultRegions.schema),
});
