import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { contentSha256 } from "@/lib/evidence/content-digest";
import { buildManifest, fileSha256, keyIdOf, manifestSha256, signManifest } from "@/lib/evidence/manifest";
import { sampleEvidenceDocument } from "@/lib/evidence/testing";
import type { SigningKey } from "@/lib/evidence/signing-key";
import type { EvidenceManifest } from "@/lib/evidence/types";
import { runEvidenceExport } from "@/lib/jobs/evidence-export";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import { completeExport, createExportRequest, getExport, registerSigningKey, verifyEvidenceFile } from "./evidence-exports";
import { listSigningKeyUse, retireSigningKey } from "./signing-keys";

// The document read is the only thing replaced: the export is written, signed and sealed (or
// refused) by the real code, as a worker does it.
vi.mock("@/lib/db/evidence-document", () => ({ getEvidenceDocument: async () => sampleEvidenceDocument() }));

withTestDatabase();

function signingKey(file = "/srv/portwatch/.portwatch/signing-key"): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(), source: "file", file };
}
const oldKey = signingKey();
const newKey = signingKey();
const doc = sampleEvidenceDocument();
const operator = { id: null, email: "cli:operator" };

async function exportWith(key: SigningKey, text: string): Promise<{ id: string; file: Buffer; manifest: EvidenceManifest }> {
  const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null });
  const file = Buffer.from(`control,status\r\n${text}\r\n`, "utf8");
  const manifest = await completeExport(id, { doc, file, fileName: `${text}.csv`, contentSha256: contentSha256(doc), signingKey: key });
  return { id, file, manifest };
}

async function chainHead() {
  return getDb().evidenceChainHead.findUnique({ where: { id: 1 }, select: { sequence: true, manifestSha256: true } });
}

// One database for the file: a rotation as an installation lives it, step by step.
describe("retiring a signing key", () => {
  const before: Awaited<ReturnType<typeof exportWith>>[] = [];

  it("lists each key with the exports it signed", async () => {
    before.push(await exportWith(oldKey, "one"), await exportWith(oldKey, "two"));
    await registerSigningKey(newKey.publicKeyPem, newKey.keyId);
    expect(await listSigningKeyUse()).toEqual(
      expect.arrayContaining([
        { keyId: oldKey.keyId, createdAt: expect.any(Date), retiredAt: null, exportsSigned: 2 },
        { keyId: newKey.keyId, createdAt: expect.any(Date), retiredAt: null, exportsSigned: 0 },
      ]),
    );
  });

  it("retires a key now and audits who did it; refuses an unknown key and a second retirement", async () => {
    const started = Date.now();
    const { retiredAt, exportsSigned } = await retireSigningKey(oldKey.keyId, operator);
    expect(exportsSigned).toBe(2);
    expect(retiredAt.getTime()).toBeGreaterThanOrEqual(started);
    expect((await listSigningKeyUse()).find((k) => k.keyId === oldKey.keyId)?.retiredAt).toEqual(retiredAt);
    const audit = await getDb().auditLog.findFirst({ where: { targetId: oldKey.keyId }, select: { action: true, actorEmail: true, targetType: true, details: true } });
    expect(audit).toEqual({ action: "signing_key.retire", actorEmail: "cli:operator", targetType: "signing-key", details: { retiredAt: retiredAt.toISOString(), exportsSigned: 2 } });

    await expect(retireSigningKey("0123456789abcdef", operator)).rejects.toThrow("no signing key 0123456789abcdef in this installation");
    await expect(retireSigningKey(oldKey.keyId, operator)).rejects.toThrow(`signing key ${oldKey.keyId} is already retired (since ${retiredAt.toISOString()})`);
    expect(await getDb().auditLog.count({ where: { targetId: oldKey.keyId } })).toBe(1);
  });

  it("still verifies what the key signed before its retirement, and says it is retired", async () => {
    const retiredAt = (await listSigningKeyUse()).find((k) => k.keyId === oldKey.keyId)!.retiredAt!;
    for (const e of before) {
      const verdict = await verifyEvidenceFile(e.file, e.manifest);
      expect(verdict).toMatchObject({ ok: true, signedByThisInstallation: true, signingKey: { keyId: oldKey.keyId, retiredAt } });
      expect(verdict.notes).toEqual([expect.stringContaining(`before the key was retired (retired since ${retiredAt.toISOString()})`)]);
      expect(verdict.problems).toEqual([]);
    }
  });

  it("refuses an export with a retired key in one clear message, marks it failed and leaves the chain as it was", async () => {
    const head = await chainHead();
    const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null });
    const retiredAt = (await listSigningKeyUse()).find((k) => k.keyId === oldKey.keyId)!.retiredAt!;
    const message = `signing key ${oldKey.keyId} was retired on ${retiredAt.toISOString()}: set PORTWATCH_SIGNING_KEY to a new key or remove /srv/portwatch/.portwatch/signing-key`;
    await expect(runEvidenceExport(id, oldKey)).rejects.toThrow(message);
    expect(await getExport(id)).toMatchObject({ status: "failed", error: message, fileSha256: null, manifest: null, sequence: null });
    expect(await chainHead()).toEqual(head);
  });

  it("does not verify a manifest the retired key signed after its retirement, and names why", async () => {
    const file = Buffer.from("control,status\r\nforged later\r\n", "utf8");
    const last = before[before.length - 1].manifest;
    const forged = signManifest(
      buildManifest({ ...last, exportId: "forged-after-retirement", fileName: "later.csv", fileSha256: fileSha256(file), fileBytes: file.length, generatedAt: new Date().toISOString() }),
      oldKey.privateKey,
    );
    const verdict = await verifyEvidenceFile(file, forged);
    expect(verdict.ok).toBe(false);
    expect(verdict.intact).toBe(true);
    expect(verdict.signedByThisInstallation).toBe(false);
    expect(verdict.problems).toContainEqual(expect.stringMatching(new RegExp(`^signed by key ${oldKey.keyId} after it was retired on .+ \\(the export was made at .+\\): a retired key signs nothing new`)));
  });

  it("does not verify an export whose row was sealed after the key's retirement", async () => {
    // As if the retirement had happened between the two exports: the second was sealed too late.
    const sealed = await getDb().evidenceExport.findMany({ where: { id: { in: before.map((e) => e.id) } }, select: { id: true, finishedAt: true }, orderBy: { sequence: "asc" } });
    const between = new Date((sealed[0].finishedAt!.getTime() + sealed[1].finishedAt!.getTime()) / 2);
    await getDb().signingKey.update({ where: { keyId: oldKey.keyId }, data: { retiredAt: between } });
    const first = await verifyEvidenceFile(before[0].file, before[0].manifest);
    const second = await verifyEvidenceFile(before[1].file, before[1].manifest);
    // generatedAt comes from the shared sample document (long before), so only the seal is late.
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    expect(second.problems).toContainEqual(expect.stringContaining(`(the export was sealed at ${sealed[1].finishedAt!.toISOString()})`));
  });

  it("signs with the new key after the rotation, continuing the same chain", async () => {
    const made = await exportWith(newKey, "three");
    // The refused export took no place: the new key's first export follows the old key's last.
    expect(made.manifest).toMatchObject({ keyId: newKey.keyId, sequence: 3, previousManifestSha256: manifestSha256(before[1].manifest) });
    const verdict = await verifyEvidenceFile(made.file, made.manifest);
    expect(verdict).toMatchObject({ ok: true, signingKey: { keyId: newKey.keyId, retiredAt: null }, notes: [] });
  });
});
