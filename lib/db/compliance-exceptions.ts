import "server-only";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { AppError } from "@/lib/errors";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

/**
 * Accepted FAILs. An exception names a framework's control and a scope (an account, a region, a
 * resource pattern); it applies from the next evaluation until it expires or is revoked. Rows are
 * never deleted or edited in place beyond revocation, and every change is in the audit log.
 */

export interface ExceptionInput {
  framework: string;
  control: string;
  accountId: string | null;
  region: string | null;
  resourcePattern: string;
  reason: string;
  owner: string;
  expiresAt: Date;
}

export interface ExceptionRow extends ExceptionInput {
  id: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const SELECT = {
  id: true,
  framework: true,
  control: true,
  accountId: true,
  region: true,
  resourcePattern: true,
  reason: true,
  owner: true,
  expiresAt: true,
  createdBy: true,
  createdAt: true,
  revokedAt: true,
  revokedBy: true,
} as const;

export async function createException(input: ExceptionInput, actor: Actor): Promise<ExceptionRow> {
  const framework = getFramework(input.framework);
  if (!framework) throw new AppError("invalid", `framework "${input.framework}" does not exist`);
  if (!framework.controls.some((c) => c.id === input.control)) throw new AppError("invalid", `control "${input.control}" is not in ${framework.name}`);
  return getDb().$transaction(async (tx) => {
    const row = await tx.complianceException.create({ data: { ...input, createdById: actor.id, createdBy: actor.email }, select: SELECT });
    await writeAudit(tx, actor, {
      action: "exception.create",
      targetType: "exception",
      targetId: row.id,
      details: { framework: row.framework, control: row.control, accountId: row.accountId, region: row.region, resourcePattern: row.resourcePattern, reason: row.reason, owner: row.owner, expiresAt: row.expiresAt.toISOString() },
    });
    return row;
  });
}

export async function revokeException(id: string, actor: Actor): Promise<ExceptionRow> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.complianceException.findUnique({ where: { id }, select: SELECT });
    if (!current) throw new AppError("not_found", "That exception does not exist");
    if (current.revokedAt) throw new AppError("conflict", `That exception was already revoked by ${current.revokedBy}`);
    const row = await tx.complianceException.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: actor.email }, select: SELECT });
    await writeAudit(tx, actor, { action: "exception.revoke", targetType: "exception", targetId: id, details: { framework: row.framework, control: row.control, resourcePattern: row.resourcePattern } });
    return row;
  });
}

export type ExceptionState = "active" | "expired" | "revoked";

export function exceptionState(row: Pick<ExceptionRow, "expiresAt" | "revokedAt">, now = new Date()): ExceptionState {
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() > now.getTime() ? "active" : "expired";
}

export async function listExceptions(filter: { framework?: string; control?: string } = {}): Promise<ExceptionRow[]> {
  return getDb().complianceException.findMany({ where: filter, select: SELECT, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { expiresAt: "asc" }], take: 1000 });
}

/** Active exceptions expiring within `days` days, soonest first (Overview). */
export async function listExpiringExceptions(days = 30): Promise<ExceptionRow[]> {
  const now = new Date();
  return getDb().complianceException.findMany({
    where: { revokedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + days * 86_400_000) } },
    select: SELECT,
    orderBy: { expiresAt: "asc" },
    take: 50,
  });
}

/** Exceptions that expired in the last `days` days and were not revoked (Overview: "expired"). */
export async function listRecentlyExpiredExceptions(days = 90): Promise<ExceptionRow[]> {
  const now = new Date();
  return getDb().complianceException.findMany({
    where: { revokedAt: null, expiresAt: { lte: now, gt: new Date(now.getTime() - days * 86_400_000) } },
    select: SELECT,
    orderBy: { expiresAt: "desc" },
    take: 50,
  });
}

/** The exceptions with these ids (those that exist), in one query. */
export async function listExceptionsByIds(ids: readonly string[]): Promise<ExceptionRow[]> {
  if (!ids.length) return [];
  return getDb().complianceException.findMany({ where: { id: { in: [...ids] } }, select: SELECT });
}
