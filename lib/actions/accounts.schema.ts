import { z } from "zod";
import {
  accountIdSchema,
  accountNameSchema,
  environmentSchema,
  parseRoleArn,
  regionListSchema,
  roleArnSchema,
} from "@/lib/accounts/config-schema";
import { cronScheduleSchema } from "@/lib/settings";

// The same rules as the accounts config file (lib/accounts/config-schema.ts); messages follow the
// field's label: "Account id must be exactly 12 digits".

// As typed in the form: comma- or space-separated; empty means "the default regions".
const regionsText = z
  .string()
  .max(2000, "is too long")
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(regionListSchema);

const accountFields = {
  accountId: accountIdSchema,
  // Plain text (no control or direction-override characters), as in the config file.
  name: accountNameSchema,
  environment: environmentSchema,
  roleArn: roleArnSchema,
  regions: regionsText,
};

function refineRoleInAccount(value: { accountId: string; roleArn: string }, ctx: z.RefinementCtx) {
  const arn = parseRoleArn(value.roleArn);
  if (arn && /^\d{12}$/.test(value.accountId) && arn.accountId !== value.accountId) {
    ctx.addIssue({
      code: "custom",
      path: ["roleArn"],
      message: `is in account ${arn.accountId}, but the account id is ${value.accountId}: the role must be in the account it reads`,
    });
  }
}

export const createAwsAccountSchema = z.object(accountFields).superRefine(refineRoleInAccount);

export const updateAwsAccountSchema = z.object(accountFields).superRefine(refineRoleInAccount);

export const setAwsAccountEnabledSchema = z.object({ accountId: accountIdSchema, enabled: z.boolean() });

export const deleteAwsAccountSchema = z.object({ accountId: accountIdSchema });

export const testConnectionSchema = z.object({ accountId: accountIdSchema });

export const updateCollectScheduleSchema = z.object({ collectSchedule: cronScheduleSchema });
