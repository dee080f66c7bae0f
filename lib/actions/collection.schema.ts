import { z } from "zod";
import { isAwsRegion } from "@/lib/regions";

// Checked on the whole list so the message lands on the field itself (a flattened error keeps
// only top-level fields) and names the first bad entry.
const listOf = (max: number, isValid: (value: string) => boolean, describe: (value: string) => string) =>
  z
    .array(z.string().max(64))
    .max(max, `must name at most ${max}`)
    .superRefine((values, ctx) => {
      const bad = values.find((value) => !isValid(value));
      if (bad !== undefined) ctx.addIssue({ code: "custom", message: describe(bad) });
    });

/** Collect now: everything enabled ({}), or only the accounts and regions named. */
export const collectNowSchema = z
  .object({
    accountIds: listOf(1000, (v) => /^\d{12}$/.test(v), (v) => `"${v}" is not a 12-digit AWS account id`).optional(),
    regions: listOf(64, isAwsRegion, (v) => `"${v}" is not a known AWS region`).optional(),
  })
  .strict();

export type CollectNowInput = z.infer<typeof collectNowSchema>;
