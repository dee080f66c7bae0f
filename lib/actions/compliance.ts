"use server";

import { revalidatePath } from "next/cache";
import { createAttestation, revokeAttestation } from "@/lib/db/attestations";
import { createException, revokeException } from "@/lib/db/compliance-exceptions";
import { reevaluateVisibleRun } from "@/lib/db/evaluations";
import { updateSettings } from "@/lib/db/settings";
import { createAttestationSchema, createExceptionSchema, idSchema, updateComplianceSettingsSchema } from "./compliance.schema";
import { dottedValidationErrors, roleAction } from "./safe-action";

// Each change re-evaluates the visible run at once, so the matrix shows it without waiting for
// the next collection. The database is the only thing touched: AWS is never called from here.

export const createExceptionAction = roleAction(["admin", "security"])
  .inputSchema(createExceptionSchema)
  .action(async ({ ctx, parsedInput }) => {
    const exception = await createException(parsedInput, ctx.actor);
    const evaluation = await reevaluateVisibleRun("exception created", ctx.actor.email);
    revalidatePath("/", "layout");
    return { id: exception.id, evaluationId: evaluation?.evaluationId ?? null };
  });

export const revokeExceptionAction = roleAction(["admin", "security"])
  .inputSchema(idSchema)
  .action(async ({ ctx, parsedInput }) => {
    await revokeException(parsedInput.id, ctx.actor);
    await reevaluateVisibleRun("exception revoked", ctx.actor.email);
    revalidatePath("/", "layout");
    return { id: parsedInput.id };
  });

export const createAttestationAction = roleAction(["admin", "security"])
  .inputSchema(createAttestationSchema, { handleValidationErrorsShape: async (errors) => dottedValidationErrors(errors) })
  .action(async ({ ctx, parsedInput }) => {
    const { file, ...rest } = parsedInput;
    const attestation = await createAttestation({ ...rest, file: file ? { name: file.name, type: file.type || "application/octet-stream", data: Buffer.from(file.base64, "base64") } : null }, ctx.actor);
    await reevaluateVisibleRun("attestation created", ctx.actor.email);
    revalidatePath("/", "layout");
    return { id: attestation.id };
  });

export const revokeAttestationAction = roleAction(["admin", "security"])
  .inputSchema(idSchema)
  .action(async ({ ctx, parsedInput }) => {
    await revokeAttestation(parsedInput.id, ctx.actor);
    await reevaluateVisibleRun("attestation revoked", ctx.actor.email);
    revalidatePath("/", "layout");
    return { id: parsedInput.id };
  });

export const updateComplianceSettingsAction = roleAction(["admin", "security"])
  .inputSchema(updateComplianceSettingsSchema, { handleValidationErrorsShape: async (errors) => dottedValidationErrors(errors) })
  .action(async ({ ctx, parsedInput }) => {
    const changed = await updateSettings(
      {
        complianceThresholds: parsedInput.thresholds,
        vulnerabilityThreshold: parsedInput.vulnerabilityThreshold,
        trustedAccounts: parsedInput.trustedAccounts,
        resultRetentionRuns: parsedInput.resultRetentionRuns,
      },
      ctx.actor,
    );
    if (changed.length) await reevaluateVisibleRun("settings changed", ctx.actor.email);
    revalidatePath("/", "layout");
    return { changed };
  });
