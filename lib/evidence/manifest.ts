import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./canonical-json";
import { EVIDENCE_FORMATS, type EvidenceManifest } from "./types";

/**
 * The signed manifest that seals one export (types.ts, EvidenceManifest): pure, node:crypto only.
 * The signature is Ed25519 over the canonical JSON of every field but `signature`, so editing any
 * field, adding one, or re-hashing the file without the installation's private key is detected.
 * The chain (previousManifestSha256, sequence) is checked against the database in
 * lib/db/evidence-exports.ts.
 */

export type UnsignedManifest = Omit<EvidenceManifest, "signature">;
export type ManifestFields = Omit<EvidenceManifest, "signature" | "version">;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex (64 characters)");

/** What a manifest read from a file must look like; strict, so an added field is refused rather than ignored. */
export const evidenceManifestSchema = z.strictObject({
  version: z.literal(1),
  exportId: z.string().min(1).max(200),
  format: z.enum(EVIDENCE_FORMATS),
  fileName: z.string().min(1).max(500),
  fileSha256: sha256Hex,
  fileBytes: z.number().int().min(0),
  contentSha256: sha256Hex,
  framework: z.string().min(1).max(200),
  scope: z.strictObject({ accountIds: z.array(z.string()), regions: z.array(z.string()) }),
  runIds: z.array(z.number().int()),
  evaluationId: z.number().int(),
  generatedBy: z.string(),
  generatedAt: z.string(),
  previousManifestSha256: sha256Hex.nullable(),
  sequence: z.number().int().min(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, "must be 16 lowercase hex characters"),
  signature: z.string().min(1).max(200),
});

/** Validates a manifest read from a file or the database; problems are sentences naming the field. */
export function parseManifest(value: unknown): { ok: true; manifest: EvidenceManifest } | { ok: false; problems: string[] } {
  const parsed = evidenceManifestSchema.safeParse(value);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `the manifest's ${i.path.length ? i.path.join(".") : "content"} is not valid: ${i.message}`),
  };
}

/** The manifest without its signature, its fields copied so later changes to the inputs cannot alter it. */
export function buildManifest(fields: ManifestFields): UnsignedManifest {
  const unsigned: UnsignedManifest = {
    version: 1,
    exportId: fields.exportId,
    format: fields.format,
    fileName: fields.fileName,
    fileSha256: fields.fileSha256,
    fileBytes: fields.fileBytes,
    contentSha256: fields.contentSha256,
    framework: fields.framework,
    scope: { accountIds: [...fields.scope.accountIds], regions: [...fields.scope.regions] },
    runIds: [...fields.runIds],
    evaluationId: fields.evaluationId,
    generatedBy: fields.generatedBy,
    generatedAt: fields.generatedAt,
    previousManifestSha256: fields.previousManifestSha256,
    sequence: fields.sequence,
    keyId: fields.keyId,
  };
  // Refuse to seal something a verifier would reject as malformed.
  const check = evidenceManifestSchema.omit({ signature: true }).safeParse(unsigned);
  if (!check.success) throw new Error(`buildManifest: ${check.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  return unsigned;
}

/** The bytes the signature covers. */
function signedBytes(manifest: UnsignedManifest | EvidenceManifest): Buffer {
  const { signature: _signature, ...rest } = manifest as EvidenceManifest;
  return Buffer.from(canonicalJson(rest), "utf8");
}

export function signManifest(unsigned: UnsignedManifest, privateKey: KeyObject): EvidenceManifest {
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("signManifest: the signing key must be an Ed25519 private key");
  // The keyId is part of what is signed; a mismatch would make every verification fail later.
  const keyId = keyIdOf(createPublicKey(privateKey));
  if (unsigned.keyId !== keyId) throw new Error(`signManifest: the manifest names key ${unsigned.keyId}, but the private key is ${keyId}`);
  const signature = sign(null, signedBytes(unsigned), privateKey).toString("base64");
  return { ...unsigned, signature };
}

/** SHA-256 (hex) of the manifest's canonical JSON, signature included: what the next export links to. */
export function manifestSha256(manifest: EvidenceManifest): string {
  return createHash("sha256").update(canonicalJson(manifest), "utf8").digest("hex");
}

/** SHA-256 (hex) of the public key's SPKI DER encoding, first 16 characters. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: "der", type: "spki" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function fileSha256(file: Buffer): string {
  return createHash("sha256").update(file).digest("hex");
}

export interface ManifestVerdict {
  /** The file's SHA-256 and size are those the manifest records. */
  fileIntact: boolean;
  /** The signature verifies with the key the manifest names (false when that key is unknown). */
  signatureValid: boolean;
  /** The manifest's keyId is one of the installation's public keys (current or retired). */
  keyKnown: boolean;
  /** What is wrong, one sentence each; empty when all three hold. */
  problems: string[];
  /** The file as read, so callers can print it. */
  actualSha256: string;
  actualBytes: number;
}

/**
 * Checks a file against its manifest with the installation's public keys (keyId -> key). The
 * file check and the signature check are independent: a changed file under a genuine manifest
 * and a genuine file under a forged manifest are told apart.
 */
export function checkManifest(file: Buffer, manifest: EvidenceManifest, publicKeys: Map<string, KeyObject>): ManifestVerdict {
  const problems: string[] = [];
  const actualSha256 = fileSha256(file);
  const actualBytes = file.length;

  const shaMatches = actualSha256 === manifest.fileSha256;
  const sizeMatches = actualBytes === manifest.fileBytes;
  if (!shaMatches) problems.push(`the file's SHA-256 is ${actualSha256}, the manifest says ${manifest.fileSha256}: the file was changed after export`);
  if (!sizeMatches) problems.push(`the file is ${actualBytes} bytes, the manifest says ${manifest.fileBytes}: the file was changed after export`);

  const key = publicKeys.get(manifest.keyId);
  let signatureValid = false;
  if (!key) {
    problems.push(`signed by key ${manifest.keyId}, which this installation does not know: the manifest was not made by this installation, or its key was never registered`);
  } else {
    const signature = decodeSignature(manifest.signature);
    try {
      signatureValid = signature !== null && verify(null, signedBytes(manifest), key, signature);
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) problems.push("the signature does not match the manifest: the manifest was edited or re-hashed without the installation's key");
  }
  return { fileIntact: shaMatches && sizeMatches, signatureValid, keyKnown: key !== undefined, problems, actualSha256, actualBytes };
}

/** An Ed25519 signature is 64 bytes; anything else (or text that is not base64) cannot verify. */
function decodeSignature(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.length === 64 ? bytes : null;
}
