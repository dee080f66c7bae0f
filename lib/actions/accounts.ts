"use server";

import { revalidatePath } from "next/cache";
import { startConnectionTest } from "@/lib/accounts/run-connection-test";
import { createAwsAccount, deleteAwsAccount, getAwsAccount, setAwsAccountEnabled, updateAwsAccount } from "@/lib/db/aws-accounts";
import { AppError } from "@/lib/errors";
import { updateSettings } from "@/lib/db/settings";
import { roleAction } from "./safe-action";
import {
  createAwsAccountSchema,
  deleteAwsAccountSchema,
  setAwsAccountEnabledSchema,
  testConnectionSchema,
  updateAwsAccountSchema,
  updateCollectScheduleSchema,
} from "./accounts.schema";

const ACCOUNTS_PAGE = "/accounts";

export const createAwsAccountAction = roleAction(["admin"])
  .inputSchema(createAwsAccountSchema)
  .action(async ({ ctx, parsedInput: { accountId, ...fields } }) => {
    const account = await createAwsAccount({ id: accountId, ...fields }, ctx.actor);
    revalidatePath(ACCOUNTS_PAGE);
    return { accountId: account.id, name: account.name };
  });

export const updateAwsAccountAction = roleAction(["admin"])
  .inputSchema(updateAwsAccountSchema)
  .action(async ({ ctx, parsedInput: { accountId, ...changes } }) => {
    const account = await updateAwsAccount(accountId, changes, ctx.actor);
    revalidatePath(ACCOUNTS_PAGE);
    return { accountId: account.id, name: account.name };
  });

export const setAwsAccountEnabledAction = roleAction(["admin"])
  .inputSchema(setAwsAccountEnabledSchema)
  .action(async ({ ctx, parsedInput }) => {
    const account = await setAwsAccountEnabled(parsedInput.accountId, parsedInput.enabled, ctx.actor);
    revalidatePath(ACCOUNTS_PAGE);
    return { accountId: account.id, enabled: account.enabled };
  });

/** The account is no longer collected; what was collected from it stays (keyed by account id). */
export const deleteAwsAccountAction = roleAction(["admin"])
  .inputSchema(deleteAwsAccountSchema)
  .action(async ({ ctx, parsedInput }) => {
    await deleteAwsAccount(parsedInput.accountId, ctx.actor);
    revalidatePath(ACCOUNTS_PAGE);
    return { accountId: parsedInput.accountId };
  });

/** Returns at once: AWS is called in the background and the page polls the stored result. */
export const testConnectionAction = roleAction(["admin", "security"])
  .inputSchema(testConnectionSchema)
  .action(async ({ ctx, parsedInput }) => {
    // Checked first: starting a test creates the installation's external id, which an unknown
    // account must not do.
    if (!(await getAwsAccount(parsedInput.accountId))) throw new AppError("not_found", `Account ${parsedInput.accountId} is not listed`);
    const { startedAt } = await startConnectionTest(parsedInput.accountId, ctx.actor);
    return { accountId: parsedInput.accountId, startedAt };
  });

export const updateCollectScheduleAction = roleAction(["admin"])
  .inputSchema(updateCollectScheduleSchema)
  .action(async ({ ctx, parsedInput }) => {
    const changed = await updateSettings({ collectSchedule: parsedInput.collectSchedule }, ctx.actor);
    revalidatePath("/settings/general");
    return { changed };
  });
