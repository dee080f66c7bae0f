import "server-only";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

export type RunTrigger = "schedule" | "manual" | "cli";

export interface RunScope {
  accountIds?: string[];
  regions?: string[];
}

/** Any lock id works as long as only run creation uses it: serialises "is a run already active?". */
const RUN_LOCK = 7_415_301;

/**
 * Queues a collection run. At most one run is queued or running at a time: a second request
 * is refused with the active run's number, so two schedules or two clicks never collect twice.
 */
export async function createCollectionRun(
  { trigger, scope = {}, actor }: { trigger: RunTrigger; scope?: RunScope; actor: Actor },
): Promise<{ runId: number }> {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RUN_LOCK})`;
    const active = await tx.collectionRun.findFirst({
      where: { status: { in: ["queued", "running"] } },
      select: { id: true, status: true },
    });
    if (active) throw new AppError("conflict", `Run #${active.id} is already ${active.status}; wait for it to finish`);
    // A run for an account that is not collected would be queued, find nothing and fail: refused now.
    if (scope.accountIds?.length) {
      const listed = await tx.awsAccount.findMany({ where: { enabled: true, id: { in: scope.accountIds } }, select: { id: true } });
      const missing = scope.accountIds.find((id) => !listed.some((account) => account.id === id));
      if (missing) throw new AppError("invalid", `Account ${missing} is not listed, or is disabled`);
    }
    const run = await tx.collectionRun.create({
      data: {
        trigger,
        requestedBy: trigger === "manual" ? actor.email : trigger,
        requestedById: actor.id,
        scope: scope as Prisma.InputJsonObject,
      },
      select: { id: true },
    });
    if (trigger === "manual") {
      await writeAudit(tx, actor, { action: "collection.request", targetType: "run", targetId: String(run.id), details: scope as Prisma.InputJsonObject });
    }
    return { runId: run.id };
  });
}
