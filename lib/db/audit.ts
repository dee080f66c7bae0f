import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "./client";

/** Who did something: a signed-in user, or the CLI / the system acting on its own. */
export interface Actor {
  id: string | null;
  email: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, email: "system" };

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Prisma.InputJsonObject;
}

type Tx = Prisma.TransactionClient;

/** Appends to the audit log inside the caller's transaction, so the change and its record land together. */
export async function writeAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: actor.id,
      actorEmail: actor.email,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
    },
  });
}

export interface AuditLogRow {
  id: string;
  at: Date;
  actorEmail: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Prisma.JsonValue;
}

/** Newest first; `before` is the id of the last row of the previous page. */
export async function listAuditLog({ limit = 100, before }: { limit?: number; before?: string } = {}): Promise<AuditLogRow[]> {
  const rows = await getDb().auditLog.findMany({
    where: before ? { id: { lt: BigInt(before) } } : undefined,
    orderBy: { id: "desc" },
    take: Math.min(Math.max(limit, 1), 500),
    select: { id: true, at: true, actorEmail: true, action: true, targetType: true, targetId: true, details: true },
  });
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}

/** For events that change nothing else (sign-in, sign-out): no transaction to join. */
export async function recordAuditEvent(actor: Actor, entry: AuditEntry): Promise<void> {
  await writeAudit(getDb(), actor, entry);
}
