import "server-only";
import { createPublicKey, type KeyObject } from "node:crypto";
import { AppError } from "@/lib/errors";
import { canonicalJson } from "@/lib/evidence/canonical-json";
import { buildManifest, checkManifest, fileSha256, keyIdOf, manifestSha256, parseManifest, signManifest } from "@/lib/evidence/manifest";
import { retiredSigningKeyMessage, type SigningKey } from "@/lib/evidence/signing-key";
import { EVIDENCE_FORMATS, type EvidenceDocument, type EvidenceFormat, type EvidenceManifest } from "@/lib/evidence/types";
import type { Prisma } from "@/lib/generated/prisma/client";
import { writeAudit } from "./audit";
import { getDb } from "./client";

/**
 * Evidence exports: the request and its progress, then the sealed file in one transaction, and
 * the verification of a file against its manifest, the installation's keys and the hash chain.
 * Done exports are numbered 1, 2, 3… and each manifest names the SHA-256 of the previous one, so
 * a deleted or rewritten export breaks the chain after it.
 */

export type ExportStatus = "queued" | "running" | "done" | "failed";

export interface ExportScope {
  /** Empty: every account. */
  accountIds: string[];
  /** Empty: every region. */
  regions: string[];
  /** null: the visible run's newest evaluation. */
  runId: number | null;
}

export interface EvidenceExportRow {
  id: string;
  status: ExportStatus;
  progress: number;
  progressText: string | null;
  framework: string;
  scope: ExportScope;
  format: EvidenceFormat;
  fileName: string | null;
  fileSha256: string | null;
  fileBytes: number | null;
  manifest: EvidenceManifest | null;
  manifestSha256: string | null;
  previousManifestSha256: string | null;
  sequence: number | null;
  createdById: string | null;
  createdBy: string;
  createdByRole: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

// Every column but the file's bytes, which only getExportFile reads.
const ROW_SELECT = {
  id: true, status: true, progress: true, progressText: true, framework: true, scope: true, format: true, fileName: true,
  fileSha256: true, fileBytes: true, manifest: true, manifestSha256: true, previousManifestSha256: true, sequence: true,
  createdById: true, createdBy: true, createdByRole: true, createdAt: true, finishedAt: true, error: true,
} as const;

type SelectedRow = Prisma.EvidenceExportGetPayload<{ select: typeof ROW_SELECT }>;

function toRow(row: SelectedRow): EvidenceExportRow {
  return { ...row, scope: row.scope as unknown as ExportScope, format: row.format as EvidenceFormat, manifest: row.manifest as unknown as EvidenceManifest | null };
}

/**
 * Any id works as long as only completeExport and retiring a key use it: serialises taking the
 * next place in the chain, and a key's retirement against an export it is sealing (so no export
 * is sealed by a key after the moment it was retired).
 */
export const CHAIN_LOCK = 0x5057_4558; // "PWEX"

export async function createExportRequest({
  framework,
  scope,
  format,
  createdBy,
  createdById,
  createdByRole = null,
}: {
  framework: string;
  scope: ExportScope;
  format: EvidenceFormat;
  createdBy: string;
  createdById: string | null;
  createdByRole?: string | null;
}): Promise<{ id: string }> {
  if (!EVIDENCE_FORMATS.includes(format)) throw new AppError("invalid", `The format must be one of ${EVIDENCE_FORMATS.join(", ")}`);
  return getDb().$transaction(async (tx) => {
    const stored = { accountIds: [...scope.accountIds], regions: [...scope.regions], runId: scope.runId };
    const row = await tx.evidenceExport.create({
      data: { framework, scope: stored, format, createdBy, createdById, createdByRole },
      select: { id: true },
    });
    // Who exported evidence is part of the audit trail (DESIGN.md, Security).
    await writeAudit(tx, { id: createdById, email: createdBy }, { action: "evidence.export", targetType: "evidence-export", targetId: row.id, details: { framework, format, ...stored } });
    return row;
  });
}

/** Progress in percent (clamped to 0-100) and what is happening; marks a queued export running. */
export async function updateExportProgress(id: string, progress: number, text: string | null): Promise<void> {
  await getDb().evidenceExport.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "running", progress: Math.max(0, Math.min(100, Math.round(progress))), progressText: text },
  });
}

/** Marks an unfinished export failed; a done export is never turned into a failure. */
export async function failExport(id: string, message: string): Promise<void> {
  await getDb().evidenceExport.updateMany({
    where: { id, status: { in: ["queued", "running"] } },
    data: { status: "failed", error: message.slice(0, 2000), finishedAt: new Date() },
  });
}

/**
 * Seals an export: under the chain lock, takes the next sequence number and the newest done
 * export's manifest hash, signs the manifest and stores it with the file. All of it lands, or
 * none (a failure leaves the export unfinished and the chain untouched).
 */
export async function completeExport(
  id: string,
  { doc, file, fileName, contentSha256, signingKey }: {
    doc: EvidenceDocument;
    file: Buffer;
    fileName: string;
    contentSha256: string;
    signingKey: Pick<SigningKey, "privateKey" | "keyId" | "publicKeyPem"> & Partial<Pick<SigningKey, "file">>;
  },
): Promise<EvidenceManifest> {
  const sha = fileSha256(file);
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
    const request = await tx.evidenceExport.findUnique({ where: { id }, select: { status: true, format: true } });
    if (!request) throw new AppError("not_found", `Evidence export ${id} does not exist`);
    if (request.status === "done" || request.status === "failed") throw new AppError("conflict", `Evidence export ${id} is already ${request.status}`);
    // The key must be known before anything it signed is stored, or verify could not check it.
    await ensureSigningKey(tx, signingKey.publicKeyPem, signingKey.keyId);
    // A retired key signs nothing new: its exports made after retirement would not verify.
    const registered = await tx.signingKey.findUnique({ where: { keyId: signingKey.keyId }, select: { retiredAt: true } });
    if (registered?.retiredAt) throw new AppError("conflict", retiredSigningKeyMessage(signingKey, registered.retiredAt));
    // The chain continues from its head, not from the newest stored row: an export deleted from
    // the end leaves a gap the next one names.
    const previous = await tx.evidenceChainHead.findUnique({ where: { id: 1 }, select: { sequence: true, manifestSha256: true } });
    const unsigned = buildManifest({
      exportId: id,
      format: request.format as EvidenceFormat,
      fileName,
      fileSha256: sha,
      fileBytes: file.length,
      contentSha256,
      framework: doc.framework.id,
      scope: { accountIds: doc.scope.accountIds, regions: doc.scope.regions },
      runIds: doc.runs.map((r) => r.id).sort((a, b) => a - b),
      evaluationId: doc.evaluation.id,
      generatedBy: doc.generatedBy.email,
      generatedAt: doc.generatedAt,
      previousManifestSha256: previous?.manifestSha256 ?? null,
      sequence: (previous?.sequence ?? 0) + 1,
      keyId: signingKey.keyId,
    });
    const manifest = signManifest(unsigned, signingKey.privateKey);
    const sealedSha256 = manifestSha256(manifest);
    await tx.evidenceChainHead.upsert({
      where: { id: 1 },
      create: { id: 1, sequence: manifest.sequence, manifestSha256: sealedSha256 },
      update: { sequence: manifest.sequence, manifestSha256: sealedSha256 },
    });
    await tx.evidenceExport.update({
      where: { id },
      data: {
        status: "done",
        progress: 100,
        progressText: null,
        fileName,
        fileData: new Uint8Array(file),
        fileSha256: sha,
        fileBytes: file.length,
        manifest: manifest as unknown as Prisma.InputJsonObject,
        manifestSha256: sealedSha256,
        previousManifestSha256: manifest.previousManifestSha256,
        sequence: manifest.sequence,
        finishedAt: new Date(),
        error: null,
      },
    });
    return manifest;
  });
}

export async function getExport(id: string): Promise<EvidenceExportRow | null> {
  const row = await getDb().evidenceExport.findUnique({ where: { id }, select: ROW_SELECT });
  return row ? toRow(row) : null;
}

/** Newest first, without the files; `before` is the id of the last row of the previous page. */
export async function listExports({ limit = 50, before }: { limit?: number; before?: string } = {}): Promise<EvidenceExportRow[]> {
  const rows = await getDb().evidenceExport.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 200),
    ...(before ? { cursor: { id: before }, skip: 1 } : {}),
    select: ROW_SELECT,
  });
  return rows.map(toRow);
}

export interface ExportFile {
  fileName: string;
  format: EvidenceFormat;
  data: Buffer;
  fileSha256: string;
  manifest: EvidenceManifest;
}

/** A done export's file and manifest; null while it is unfinished or when it does not exist. */
export async function getExportFile(id: string): Promise<ExportFile | null> {
  const row = await getDb().evidenceExport.findUnique({
    where: { id },
    select: { status: true, fileName: true, format: true, fileData: true, fileSha256: true, manifest: true },
  });
  if (!row || row.status !== "done" || !row.fileData || !row.fileName || !row.fileSha256 || !row.manifest) return null;
  return { fileName: row.fileName, format: row.format as EvidenceFormat, data: Buffer.from(row.fileData), fileSha256: row.fileSha256, manifest: row.manifest as unknown as EvidenceManifest };
}

type Tx = Prisma.TransactionClient;

async function ensureSigningKey(db: Tx, publicKeyPem: string, keyId: string): Promise<void> {
  let actual: string;
  try {
    actual = keyIdOf(createPublicKey(publicKeyPem));
  } catch {
    throw new AppError("invalid", "The public key is not a PEM public key");
  }
  if (actual !== keyId) throw new AppError("invalid", `The public key's id is ${actual}, not ${keyId}`);
  const existing = await db.signingKey.findUnique({ where: { keyId }, select: { publicKeyPem: true } });
  if (existing) {
    if (!createPublicKey(existing.publicKeyPem).equals(createPublicKey(publicKeyPem))) {
      throw new AppError("conflict", `Another public key is already registered as ${keyId}`);
    }
    return;
  }
  await db.signingKey.createMany({ data: [{ keyId, publicKeyPem }], skipDuplicates: true });
}

/** Makes a public key known to every process and to `portwatch verify`; registering it again is a no-op. */
export async function registerSigningKey(publicKeyPem: string, keyId: string): Promise<void> {
  await ensureSigningKey(getDb(), publicKeyPem, keyId);
}

export interface SigningKeyRow {
  keyId: string;
  publicKeyPem: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Every key that ever signed, current and retired, oldest first. */
export async function listSigningKeys(): Promise<SigningKeyRow[]> {
  return getDb().signingKey.findMany({ orderBy: [{ createdAt: "asc" }, { keyId: "asc" }], select: { keyId: true, publicKeyPem: true, createdAt: true, retiredAt: true } });
}

export interface ChainVerdict {
  /** The export's sequence number; null when no manifest was found. */
  position: number | null;
  /** Done exports in the chain (the highest sequence stored). */
  length: number;
  ok: boolean;
  problems: string[];
}

export interface Verdict {
  ok: boolean;
  /** The file's SHA-256 and size match the manifest. */
  intact: boolean;
  /**
   * The signature verifies with one of this installation's public keys, and that key was not
   * retired when the export was made.
   */
  signedByThisInstallation: boolean;
  /** The key the manifest names, when this installation knows it (retiredAt null: current). */
  signingKey?: { keyId: string; createdAt: Date; retiredAt: Date | null };
  /** What is worth knowing but wrong with nothing, e.g. that the key has since been retired. */
  notes: string[];
  chain: ChainVerdict;
  exportId?: string;
  /** The manifest that was checked, when one was found. */
  manifest?: EvidenceManifest;
  /** Every problem, one sentence each (the chain's included). */
  problems: string[];
}

/**
 * Verifies a file: against the given manifest, else the manifest of the export with the same
 * SHA-256; then the chain from #1 up to that export, and that the stored manifest is the one
 * given. Reads the chain's manifests (about 1 kB each), never the files.
 */
export async function verifyEvidenceFile(file: Buffer, given?: EvidenceManifest): Promise<Verdict> {
  const db = getDb();
  const sha = fileSha256(file);
  let manifest: EvidenceManifest | undefined;
  if (given !== undefined) {
    // A manifest from an upload or a file is only typed by its caller's cast: check its shape first.
    const parsed = parseManifest(given);
    if (!parsed.ok) return unverifiable(parsed.problems);
    manifest = parsed.manifest;
  } else {
    const found = await db.evidenceExport.findFirst({
      where: { fileSha256: sha, status: "done" },
      orderBy: { sequence: "desc" },
      select: { manifest: true },
    });
    const parsed = found?.manifest ? parseManifest(found.manifest) : null;
    if (!parsed) return unverifiable([`not an export of this installation, or changed after export: no manifest and no export with this SHA-256 (${sha})`]);
    if (!parsed.ok) return unverifiable(parsed.problems.map((p) => `the stored manifest is damaged: ${p}`));
    manifest = parsed.manifest;
  }

  const known = await listSigningKeys();
  const keys = new Map<string, KeyObject>();
  for (const key of known) keys.set(key.keyId, createPublicKey(key.publicKeyPem));
  const check = checkManifest(file, manifest, keys);
  const chain = await checkChain(manifest);
  const signer = known.find((k) => k.keyId === manifest.keyId);
  const retirement = signer?.retiredAt && check.signatureValid ? await checkRetiredKey(manifest, signer.retiredAt) : { problems: [], notes: [] };
  const problems = [...check.problems, ...retirement.problems, ...chain.problems];
  const signedByThisInstallation = check.signatureValid && check.keyKnown && retirement.problems.length === 0;
  return {
    ok: check.fileIntact && signedByThisInstallation && chain.ok,
    intact: check.fileIntact,
    signedByThisInstallation,
    ...(signer ? { signingKey: { keyId: signer.keyId, createdAt: signer.createdAt, retiredAt: signer.retiredAt } } : {}),
    notes: retirement.notes,
    chain,
    exportId: manifest.exportId,
    manifest,
    problems,
  };
}

function unverifiable(problems: string[]): Verdict {
  return { ok: false, intact: false, signedByThisInstallation: false, notes: [], chain: { position: null, length: 0, ok: false, problems: [] }, problems };
}

/**
 * A retired key still vouches for what it signed before its retirement, and for nothing after:
 * a retired key may have left the installation's hands. "When" is both the time written into the
 * signed manifest and the time the installation sealed the export (its row), so neither an old
 * date written into a new manifest nor a row sealed late passes.
 */
async function checkRetiredKey(manifest: EvidenceManifest, retiredAt: Date): Promise<{ problems: string[]; notes: string[] }> {
  const retired = retiredAt.toISOString();
  const generatedAt = new Date(manifest.generatedAt);
  if (Number.isNaN(generatedAt.getTime())) {
    return { problems: [`signed by key ${manifest.keyId}, retired on ${retired}, but the manifest's generatedAt ("${manifest.generatedAt.slice(0, 40)}") is not a date, so it cannot be shown to predate the retirement`], notes: [] };
  }
  const stored = await getDb().evidenceExport.findUnique({ where: { id: manifest.exportId }, select: { finishedAt: true } });
  const late = [
    generatedAt >= retiredAt ? `made at ${generatedAt.toISOString()}` : null,
    stored?.finishedAt && stored.finishedAt >= retiredAt ? `sealed at ${stored.finishedAt.toISOString()}` : null,
  ].filter((x): x is string => x !== null);
  if (late.length > 0) {
    return { problems: [`signed by key ${manifest.keyId} after it was retired on ${retired} (the export was ${late.join(" and ")}): a retired key signs nothing new, so this signature is not the installation's`], notes: [] };
  }
  const signedAt = stored?.finishedAt ?? generatedAt;
  return { problems: [], notes: [`signed by key ${manifest.keyId} on ${signedAt.toISOString()}, before the key was retired (retired since ${retired})`] };
}

async function checkChain(manifest: EvidenceManifest): Promise<ChainVerdict> {
  const db = getDb();
  const problems: string[] = [];
  const [own, links, newest, head] = await Promise.all([
    db.evidenceExport.findUnique({ where: { id: manifest.exportId }, select: { status: true, sequence: true, manifest: true } }),
    db.evidenceExport.findMany({
      where: { status: "done", sequence: { not: null, lte: manifest.sequence } },
      orderBy: { sequence: "asc" },
      select: { id: true, sequence: true, manifest: true, manifestSha256: true, previousManifestSha256: true },
    }),
    db.evidenceExport.findFirst({ where: { status: "done", sequence: { not: null } }, orderBy: { sequence: "desc" }, select: { sequence: true } }),
    db.evidenceChainHead.findUnique({ where: { id: 1 }, select: { sequence: true } }),
  ]);
  const length = Math.max(head?.sequence ?? 0, newest?.sequence ?? 0, manifest.sequence);
  // Exports removed from the end of the chain: no later link names them, but the head does.
  const newestStored = newest?.sequence ?? 0;
  if (head && head.sequence > newestStored) {
    const gone = head.sequence - newestStored === 1 ? `export #${head.sequence} is missing` : `exports #${newestStored + 1} to #${head.sequence} are missing`;
    problems.push(`${gone} from the end of the chain: the chain's head records #${head.sequence}, the newest stored export is #${newestStored || "none"}`);
  }

  // The export itself: its stored manifest must be the one given (or found).
  if (!own || own.status !== "done") {
    problems.push(`export ${manifest.exportId} (#${manifest.sequence}) is not stored in this installation: it was deleted, or the manifest is not this installation's`);
  } else if (own.sequence !== manifest.sequence || canonicalJson(own.manifest) !== canonicalJson(manifest)) {
    const stored = (own.manifest ?? {}) as Record<string, unknown>;
    const fields = Object.keys({ ...stored, ...manifest }).sort().filter((k) => canonicalJson(stored[k] ?? null) !== canonicalJson((manifest as unknown as Record<string, unknown>)[k] ?? null));
    problems.push(`the stored manifest of export ${manifest.exportId} differs from the given one (${fields.join(", ") || "sequence"}): one of them was edited`);
  }

  // Walk #1..#n: each link must name the hash of the stored manifest before it, with no gap.
  let expected = 1;
  let previousHash: string | null = null;
  // The given manifest takes its own place at the end, so its previous hash is checked even when it is not stored.
  const chainRows: { id: string; sequence: number; previous: string | null; hash: string | null; storedHash: string | null }[] = links
    .filter((l) => l.sequence! < manifest.sequence)
    .map((l) => {
      const parsed = l.manifest ? parseManifest(l.manifest) : null;
      if (!parsed?.ok) problems.push(`the stored manifest of export #${l.sequence} (${l.id}) is damaged`);
      return { id: l.id, sequence: l.sequence!, previous: parsed?.ok ? parsed.manifest.previousManifestSha256 : l.previousManifestSha256, hash: parsed?.ok ? manifestSha256(parsed.manifest) : null, storedHash: l.manifestSha256 };
    });
  chainRows.push({ id: manifest.exportId, sequence: manifest.sequence, previous: manifest.previousManifestSha256, hash: manifestSha256(manifest), storedHash: null });

  for (const link of chainRows) {
    if (link.hash !== null && link.storedHash !== null && link.hash !== link.storedHash) {
      problems.push(`the stored manifest of export #${link.sequence} hashes to ${link.hash}, but its row records ${link.storedHash}: the row was edited`);
    }
    if (link.sequence > expected) {
      const missing = link.sequence - expected === 1 ? `export #${expected} is missing from the chain` : `exports #${expected} to #${link.sequence - 1} are missing from the chain`;
      problems.push(`${missing}: #${link.sequence} names a previous manifest no stored export has`);
    } else if (link.sequence === 1 && link.previous !== null) {
      problems.push(`export #1 names a previous manifest (${link.previous}), but the chain starts at #1: exports before it were removed or the manifest is not from this chain`);
    } else if (link.sequence > 1 && link.previous !== previousHash) {
      problems.push(`export #${link.sequence} names previous manifest ${link.previous ?? "none"}, but #${link.sequence - 1}'s manifest has SHA-256 ${previousHash ?? "unknown"}: the chain was rewritten`);
    }
    expected = link.sequence + 1;
    previousHash = link.hash;
  }
  return { position: manifest.sequence, length, ok: problems.length === 0, problems };
}
