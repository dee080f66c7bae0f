"use server";

import { revalidatePath } from "next/cache";
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
