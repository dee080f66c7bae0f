"use server";

import { revalidatePath } from "next/cache";
import { getCollectionAccounts } from "@/lib/db/aws-accounts";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getActiveCollectionRun } from "@/lib/db/runs";
import { AppError, isAppError } from "@/lib/errors";
import { collectNowSchema } from "./collection.schema";
import { roleAction } from "./safe-action";

/** Queues a manual run; the workers pick it up. AWS is never called from here. */
export const collectNowAction = roleAction(["admin", "security"])
  .inputSchema(collectNowSchema)
  .action(async ({ ctx, parsedInput }) => {
    const scope = {
      ...(parsedInput.accountIds?.length ? { accountIds: [...new Set(parsedInput.accountIds)] } : {}),
      ...(parsedInput.regions?.length ? { regions: [...new Set(parsedInput.regions)] } : {}),
    };
    // A run for an account that is not collected would be queued, find nothing and fail: say so now.
    if (scope.accountIds) {
      const listed = new Set((await getCollectionAccounts({ accountIds: scope.accountIds })).map((account) => account.id));
      const missing = scope.accountIds.find((id) => !listed.has(id));
      if (missing) throw new AppError("invalid", `Account ${missing} is not listed, or is disabled`);
    }
    try {
      const { runId } = await createCollectionRun({ trigger: "manual", scope, actor: ctx.actor });
      revalidatePath("/runs");
      return { runId };
    } catch (error) {
      if (isAppError(error) && error.code === "conflict") {
        // One message whether the active run is still queued or already started.
        const active = await getActiveCollectionRun();
        if (active) throw new AppError("conflict", `Run #${active.id} is already running`);
      }
      throw error;
    }
  });
