import { z } from "zod";
import { accountIdSchema } from "@/lib/accounts/config-schema";
import { EVIDENCE_FORMATS } from "@/lib/evidence/types";
import { isAwsRegion } from "@/lib/regions";

/** Comma- or space-separated values from a text box, deduplicated; empty means "all". */
const list = (item: z.ZodType<string, string>, what: string) =>
  z
    .string()
    .max(2000, `must be at most 2000 characters`)
    .transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))])
    .pipe(z.array(item).max(200, `must list at most 200 ${what}`));

export const createEvidenceExportSchema = z.object({
  framework: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a framework id such as aws-fsbp"),
  format: z.enum(EVIDENCE_FORMATS, `must be one of ${EVIDENCE_FORMATS.join(", ")}`),
  accounts: list(accountIdSchema, "accounts"),
  regions: list(z.string().refine(isAwsRegion, "must be known AWS regions (for example us-east-1)"), "regions"),
  /** "" = the latest evaluated run. */
  runId: z
    .string()
    .trim()
    .regex(/^(\d{1,9})?$/, "must be a run number")
    .transform((v) => (v ? Number(v) : null)),
});
export type CreateEvidenceExportInput = z.input<typeof createEvidenceExportSchema>;
