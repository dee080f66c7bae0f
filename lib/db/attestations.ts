import "server-only";
import { createHash } from "node:crypto";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { AppError } from "@/lib/errors";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

/**
 * Attestations: a person states that a control's human process is in place (its attestation
 * item), optionally with a file, until a date. The control's organization-scope result is MANUAL
 * until then; revocation keeps the row.
 */

export interface AttestationInput {
  framework: string;
  control: string;
  text: string;
  expiresAt: Date;
  file: { name: string; type: string; data: Buffer } | null;
}

export interface AttestationRow {
  id: string;
  framework: string;
  control: string;
  text: string;
  fileName: string | null;
  fileType: string | null;
  fileSha256: string | null;
  attester: string;
  attestedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const SELECT = {
  id: true,
  framework: true,
  control: true,
  text: true,
  fileName: true,
  fileType: true,
  fileSha256: true,
  attester: true,
  attestedAt: true,
  expiresAt: true,
  revokedAt: true,
  revokedBy: true,
} as const;

export async function createAttestation(input: AttestationInput, actor: Actor): Promise<AttestationRow> {
  const framework = getFramework(input.framework);
  const control = framework?.controls.find((c) => c.id === input.control);
  if (!framework || !control) throw new AppError("invalid", `control "${input.framework}/${input.control}" does not exist`);
  if (!control.attestation) throw new AppError("invalid", `${control.id} has no attestation item: it is decided by its checks`);
  const fileSha256 = input.file ? createHash("sha256").update(input.file.data).digest("hex") : null;
  return getDb().$transaction(async (tx) => {
    const row = await tx.attestation.create({
      data: {
        framework: input.framework,
        control: input.control,
        text: input.text,
        expiresAt: input.expiresAt,
        fileName: input.file?.name ?? null,
        fileType: input.file?.type ?? null,
        fileData: input.file ? new Uint8Array(input.file.data) : null,
        fileSha256,
        attesterId: actor.id,
        attester: actor.email,
      },
      select: SELECT,
    });
    await writeAudit(tx, actor, {
      action: "attestation.create",
      targetType: "attestation",
      targetId: row.id,
      details: { framework: row.framework, control: row.control, expiresAt: row.expiresAt.toISOString(), fileName: row.fileName, fileSha256 },
    });
    return row;
  });
}

export async function revokeAttestation(id: string, actor: Actor): Promise<AttestationRow> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.attestation.findUnique({ where: { id }, select: SELECT });
    if (!current) throw new AppError("not_found", "That attestation does not exist");
    if (current.revokedAt) throw new AppError("conflict", `That attestation was already revoked by ${current.revokedBy}`);
    const row = await tx.attestation.update({ where: { id }, data: { revokedAt: new Date(), revokedBy: actor.email }, select: SELECT });
    await writeAudit(tx, actor, { action: "attestation.revoke", targetType: "attestation", targetId: id, details: { framework: row.framework, control: row.control } });
    return row;
  });
}

export async function listAttestations(filter: { framework?: string; control?: string } = {}): Promise<AttestationRow[]> {
  return getDb().attestation.findMany({ where: filter, select: SELECT, orderBy: { attestedAt: "desc" }, take: 200 });
}

/** The attached file, for the authorised download route. */
export async function getAttestationFile(id: string): Promise<{ name: string; type: string; data: Buffer } | null> {
  const row = await getDb().attestation.findUnique({ where: { id }, select: { fileName: true, fileType: true, fileData: true } });
  if (!row?.fileData || !row.fileName) return null;
  return { name: row.fileName, type: row.fileType ?? "application/octet-stream", data: Buffer.from(row.fileData) };
}
