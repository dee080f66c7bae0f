import { z } from "zod";
import { accountIdSchema } from "@/lib/accounts/config-schema";
import { EVIDENCE_FORMATS } from "@/lib/evidence/types";
import { isAwsRegion } from "@/lib/regions";

/**
 * Comma- or space-separated values from a text box, deduplicated; empty means "all". Entries are
 * checked on the whole list so the message lands on the field itself (the form's flattened errors
 * keep only top-level fields) and names the first bad entry.
 */
const list = (isValid: (value: string) => boolean, describe: (value: string) => string, what: string) =>
  z
    .string()
    .max(2000, `must be at most 2000 characters`)
    .transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))])
    .pipe(
      z
        .array(z.string())
        .max(200, `must list at most 200 ${what}`)
        .superRefine((values, ctx) => {
          const bad = values.find((value) => !isValid(value));
          if (bad !== undefined) ctx.addIssue({ code: "custom", message: describe(bad.slice(0, 40)) });
        }),
    );

export const createEvidenceExportSchema = z.object({
  framework: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a framework id such as aws-fsbp"),
  format: z.enum(EVIDENCE_FORMATS, `must be one of ${EVIDENCE_FORMATS.join(", ")}`),
  accounts: list((v) => accountIdSchema.safeParse(v).success, (v) => `"${v}" is not a 12-digit AWS account id`, "accounts"),
  regions: list(isAwsRegion, (v) => `"${v}" is not a known AWS region (for example us-east-1)`, "regions"),
  /** "" = the latest evaluated run. */
  runId: z
    .string()
    .trim()
    .regex(/^(\d{1,9})?$/, "must be a run number")
    .transform((v) => (v ? Number(v) : null)),
});
export type CreateEvidenceExportInput = z.input<typeof createEvidenceExportSchema>;
