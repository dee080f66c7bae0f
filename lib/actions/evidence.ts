"use server";

import { revalidatePath } from "next/cache";
import { EVIDENCE_ROLES } from "@/lib/auth/roles";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { createExportRequest } from "@/lib/db/evidence-exports";
import { getCollectionRun } from "@/lib/db/runs";
import { AppError } from "@/lib/errors";
import { createEvidenceExportSchema } from "./evidence.schema";
import { roleAction } from "./safe-action";

// An export is queued here and made by a worker (lib/jobs/evidence-export.ts): reading every
// result and writing a PDF can take seconds, so the page shows its progress instead of waiting.

export const createEvidenceExportAction = roleAction(EVIDENCE_ROLES)
  .inputSchema(createEvidenceExportSchema)
  .action(async ({ ctx, parsedInput }) => {
    if (!getFramework(parsedInput.framework)) throw new AppError("invalid", `There is no framework "${parsedInput.framework}"`);
    // Refused here rather than queued: a worker would only fail the export later, and the failed
    // request would stay in the list and the audit log.
    if (parsedInput.runId !== null && !(await getCollectionRun(parsedInput.runId))) throw new AppError("invalid", `There is no run #${parsedInput.runId}`);
    const { id } = await createExportRequest({
      scope: { accountIds: parsedInput.accounts, regions: parsedInput.regions, runId: parsedInput.runId },
      framework: parsedInput.framework,
      format: parsedInput.format,
      createdBy: ctx.actor.email,
      createdById: ctx.actor.id,
      createdByRole: ctx.user.role,
    });
    revalidatePath("/evidence");
    return { id };
  });
