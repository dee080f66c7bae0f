import { z } from "zod";
import { accountIdSchema } from "@/lib/accounts/config-schema";
import { MAX_EXCEPTION_DAYS } from "@/lib/compliance/exceptions";
import { isAwsRegion } from "@/lib/regions";
import { complianceThresholdsSchema, SETTINGS } from "@/lib/settings";
import { hiddenCharacterProblem, plainText } from "./text.schema";

const DAY = 86_400_000;

const frameworkId = z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a framework id such as aws-fsbp");
const controlId = z.string().regex(/^[A-Z0-9][A-Z0-9.-]{0,19}$/, "must be a control id such as ECR.1 or AC-3");

/** YYYY-MM-DD, a day after today and at most a year ahead; the exception ends at that day's end (UTC). */
const expiryDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (YYYY-MM-DD)")
  .transform((text, ctx) => {
    const date = new Date(`${text}T23:59:59.999Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
      ctx.addIssue({ code: "custom", message: `"${text}" is not a calendar date` });
      return z.NEVER;
    }
    const now = Date.now();
    if (date.getTime() <= now) {
      ctx.addIssue({ code: "custom", message: "must be in the future" });
      return z.NEVER;
    }
    if (date.getTime() > now + MAX_EXCEPTION_DAYS * DAY) {
      ctx.addIssue({ code: "custom", message: "must be at most one year ahead" });
      return z.NEVER;
    }
    return date;
  });

const optionalAccount = z
  .string()
  .trim()
  .transform((v) => v || null)
  .pipe(accountIdSchema.nullable());
const optionalRegion = z
  .string()
  .trim()
  .transform((v) => v || null)
  .refine((v) => v === null || isAwsRegion(v), "must be an AWS region such as us-east-1, or empty for every region");

export const createExceptionSchema = z.strictObject({
  framework: frameworkId,
  control: controlId,
  accountId: optionalAccount,
  region: optionalRegion,
  resourcePattern: z
    .string()
    .trim()
    .min(1, "must not be empty (use * for every resource)")
    .max(512, "must be at most 512 characters")
    .regex(/^[A-Za-z0-9._/*:-]+$/, "may hold letters, digits, . _ - / : and *"),
  reason: plainText(z.string().trim().min(10, "must say why, in at least 10 characters").max(2000, "must be at most 2000 characters"), { multiline: true }),
  owner: plainText(z.string().trim().min(1, "must name who owns the fix").max(200, "must be at most 200 characters")),
  expiresAt: expiryDate,
});

export const idSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9]{20,40}$/, "is not a valid id") });

/** An attachment travels as base64 inside the action body (Next's limit is 1 MB): at most 700 KB. */
export const MAX_ATTACHMENT_BYTES = 700 * 1024;

export const createAttestationSchema = z.strictObject({
  framework: frameworkId,
  control: controlId,
  text: plainText(z.string().trim().min(10, "must describe what is in place, in at least 10 characters").max(5000, "must be at most 5000 characters"), { multiline: true }),
  expiresAt: expiryDate,
  file: z
    .strictObject({
      name: z.string().trim().min(1, "must have a name").max(200, "name must be at most 200 characters").regex(/^[^/\\\u0000-\u001f]+$/, "name must not contain slashes or control characters"),
      type: z.string().max(200).regex(/^[\w.+-]+\/[\w.+-]+$|^$/, "type is not a media type"),
      base64: z
        .string()
        .max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4, "file must be at most 700 KB")
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, "file is not base64"),
    })
    .nullable(),
});

export const updateComplianceSettingsSchema = z.strictObject({
  // The tag key is free text stored in a JSON setting (where PostgreSQL refuses NUL outright).
  thresholds: complianceThresholdsSchema.superRefine((thresholds, ctx) => {
    const problem = hiddenCharacterProblem(thresholds.environmentTagKey);
    if (problem) ctx.addIssue({ code: "custom", path: ["environmentTagKey"], message: problem });
  }),
  vulnerabilityThreshold: SETTINGS.vulnerabilityThreshold.schema,
  trustedAccounts: SETTINGS.trustedAccounts.schema,
  resultRetentionRuns: SETTINGS.resultRetentionRuns.schema,
});
