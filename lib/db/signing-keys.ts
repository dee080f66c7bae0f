import "server-only";
import { AppError } from "@/lib/errors";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";
import { CHAIN_LOCK } from "./evidence-exports";

/**
 * The installation's evidence signing keys as an operator manages them: which keys exist, how
 * many exports each signed, and retiring one after a rotation. Only public keys are stored here;
 * the private key stays with the processes (lib/evidence/signing-key.ts).
 */

export interface SigningKeyUse {
  keyId: string;
  createdAt: Date;
  retiredAt: Date | null;
  /** Done exports whose manifest names this key. */
  exportsSigned: number;
}

/** Every registered key, oldest first, with the number of done exports it signed. */
export async function listSigningKeyUse(): Promise<SigningKeyUse[]> {
  const db = getDb();
  const [keys, counts] = await Promise.all([
    db.signingKey.findMany({ orderBy: [{ createdAt: "asc" }, { keyId: "asc" }], select: { keyId: true, createdAt: true, retiredAt: true } }),
    // The manifest is JSON; its keyId is what the signature was made with.
    db.$queryRaw<{ keyId: string; count: bigint }[]>`
      SELECT "manifest"->>'keyId' AS "keyId", count(*) AS "count"
        FROM "EvidenceExport" WHERE "status" = 'done' AND "manifest" IS NOT NULL
       GROUP BY 1`,
  ]);
  const byKey = new Map(counts.map((c) => [c.keyId, Number(c.count)]));
  return keys.map((k) => ({ ...k, exportsSigned: byKey.get(k.keyId) ?? 0 }));
}

/**
 * Retires a key now: it keeps verifying what it signed before, and signs nothing after. Refuses an
 * unknown key and one already retired. Waits for any export being sealed (the chain lock), so an
 * export sealed by this key is either before the retirement or refused. Audited as `actor`.
 */
export async function retireSigningKey(keyId: string, actor: Actor): Promise<{ keyId: string; retiredAt: Date; exportsSigned: number }> {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const key = await tx.signingKey.findUnique({ where: { keyId }, select: { retiredAt: true } });
    if (!key) throw new AppError("not_found", `no signing key ${keyId} in this installation (see portwatch keys list)`);
    if (key.retiredAt) throw new AppError("conflict", `signing key ${keyId} is already retired (since ${key.retiredAt.toISOString()})`);
    const retiredAt = new Date();
    await tx.signingKey.update({ where: { keyId }, data: { retiredAt } });
    const [{ count }] = await tx.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS "count" FROM "EvidenceExport" WHERE "status" = 'done' AND "manifest"->>'keyId' = ${keyId}`;
    const exportsSigned = Number(count);
    await writeAudit(tx, actor, { action: "signing_key.retire", targetType: "signing-key", targetId: keyId, details: { retiredAt: retiredAt.toISOString(), exportsSigned } });
    return { keyId, retiredAt, exportsSigned };
  });
}
