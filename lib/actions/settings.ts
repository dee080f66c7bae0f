"use server";

import { revalidatePath } from "next/cache";
import { updateSettings } from "@/lib/db/settings";
import { roleAction } from "./safe-action";
import { updateSettingsSchema } from "./settings.schema";

export const updateSettingsAction = roleAction(["admin"])
  .inputSchema(updateSettingsSchema)
  .action(async ({ ctx, parsedInput }) => {
    const changed = await updateSettings(parsedInput, ctx.actor);
    revalidatePath("/", "layout");
    return { changed };
  });
