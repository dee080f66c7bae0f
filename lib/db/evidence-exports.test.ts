import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentSha256 } from "@/lib/evidence/content-digest";
import { keyIdOf, manifestSha256, signManifest } from "@/lib/evidence/manifest";
import { sampleEvidenceDocument } from "@/lib/evidence/testing";
import type { EvidenceManifest } from "@/lib/evidence/types";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import {
  completeExport,
  createExportRequest,
  failExport,
  getExport,
  getExportFile,
  listExports,
  listSigningKeys,
  registerSigningKey,
  updateExportProgress,
  verifyEvidenceFile,
} from "./evidence-exports";

withTestDatabase();

function signingKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString() };
}
const key = signingKey();
const doc = sampleEvidenceDocument();

async function exportOnce(text: string): Promise<{ id: string; file: Buffer; manifest: EvidenceManifest }> {
  const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: ["111122223333"], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null, createdByRole: "auditor" });
  const file = Buffer.from(`control,status\r\n${text}\r\n`, "utf8");
  const manifest = await completeExport(id, { doc, file, fileName: `export-${text}.csv`, contentSha256: contentSha256(doc), signingKey: key });
  return { id, file, manifest };
}

// One database for the file: the chain grows test by test, as it does in an installation.
describe("evidence exports", () => {
  const chain: Awaited<ReturnType<typeof exportOnce>>[] = [];

  it("queues a request, records its progress and audits who asked", async () => {
    const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: ["us-east-1"], runId: 7 }, format: "pdf", createdBy: "security@example.com", createdById: null });
    expect(await getExport(id)).toMatchObject({ status: "queued", progress: 0, framework: "aws-fsbp", scope: { accountIds: [], regions: ["us-east-1"], runId: 7 }, format: "pdf", createdBy: "security@example.com" });
    await updateExportProgress(id, 140, "Writing the PDF");
    expect(await getExport(id)).toMatchObject({ status: "running", progress: 100, progressText: "Writing the PDF" });
    await failExport(id, "the evaluation was deleted");
    expect(await getExport(id)).toMatchObject({ status: "failed", error: "the evaluation was deleted", finishedAt: expect.any(Date) });
    await updateExportProgress(id, 50, "late");
    expect((await getExport(id))?.status).toBe("failed");
    expect(await getExportFile(id)).toBeNull();
    const audit = await getDb().auditLog.findFirst({ where: { targetId: id }, select: { action: true, actorEmail: true } });
    expect(audit).toEqual({ action: "evidence.export", actorEmail: "security@example.com" });
  });

  it("chains three completed exports 1 -> 2 -> 3, each naming the previous manifest's hash", async () => {
    for (const text of ["one", "two", "three"]) chain.push(await exportOnce(text));
    expect(chain.map((e) => e.manifest.sequence)).toEqual([1, 2, 3]);
    expect(chain[0].manifest.previousManifestSha256).toBeNull();
    expect(chain[1].manifest.previousManifestSha256).toBe(manifestSha256(chain[0].manifest));
    expect(chain[2].manifest.previousManifestSha256).toBe(manifestSha256(chain[1].manifest));
    const stored = await getExport(chain[2].id);
    expect(stored).toMatchObject({ status: "done", progress: 100, sequence: 3, manifestSha256: manifestSha256(chain[2].manifest), manifest: chain[2].manifest, fileBytes: chain[2].file.length });
    expect((await getExportFile(chain[1].id))?.data.equals(chain[1].file)).toBe(true);
    expect(await listSigningKeys()).toEqual([expect.objectContaining({ keyId: key.keyId, retiredAt: null })]);
  });

  it("verifies each export with its manifest, and by SHA-256 lookup without one", async () => {
    for (const [i, e] of chain.entries()) {
      const verdict = await verifyEvidenceFile(e.file, e.manifest);
      expect(verdict).toMatchObject({ ok: true, intact: true, signedByThisInstallation: true, exportId: e.id, chain: { position: i + 1, length: 3, ok: true, problems: [] }, problems: [] });
    }
    expect(await verifyEvidenceFile(chain[1].file)).toMatchObject({ ok: true, exportId: chain[1].id, chain: { position: 2 } });
  });

  it("says when a file is neither given a manifest nor stored", async () => {
    const verdict = await verifyEvidenceFile(Buffer.from("control,status\r\nforged\r\n"));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([expect.stringMatching(/^not an export of this installation, or changed after export: no manifest and no export with this SHA-256 \([0-9a-f]{64}\)$/)]);
    // An uploaded manifest is checked for shape before anything else, never trusted as typed.
    const junk = await verifyEvidenceFile(chain[0].file, { ...chain[0].manifest, sequence: "1" } as unknown as EvidenceManifest);
    expect(junk).toMatchObject({ ok: false, chain: { position: null }, problems: [expect.stringContaining("the manifest's sequence is not valid")] });
  });

  it("names a changed file, a manifest that differs from the stored one, and an unknown key", async () => {
    const flipped = Buffer.from(chain[0].file);
    flipped[3] ^= 0x20;
    const changed = await verifyEvidenceFile(flipped, chain[0].manifest);
    expect(changed).toMatchObject({ ok: false, intact: false, signedByThisInstallation: true, chain: { ok: true } });
    expect(changed.problems).toEqual([expect.stringContaining("the file was changed after export")]);

    const intruder = signingKey();
    const { signature: _unused, ...unsigned } = chain[0].manifest;
    const forged = signManifest({ ...unsigned, fileSha256: "0".repeat(64), keyId: intruder.keyId }, intruder.privateKey);
    const verdict = await verifyEvidenceFile(chain[0].file, forged);
    expect(verdict).toMatchObject({ ok: false, signedByThisInstallation: false });
    expect(verdict.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`signed by key ${intruder.keyId}, which this installation does not know`),
        expect.stringMatching(/^the stored manifest of export \S+ differs from the given one \(fileSha256, keyId, signature\)/),
      ]),
    );
  });

  it("names the missing link when #2's row is deleted", async () => {
    await getDb().evidenceExport.delete({ where: { id: chain[1].id } });
    const verdict = await verifyEvidenceFile(chain[2].file, chain[2].manifest);
    expect(verdict).toMatchObject({ ok: false, intact: true, signedByThisInstallation: true, chain: { position: 3, length: 3, ok: false } });
    expect(verdict.chain.problems).toEqual(["export #2 is missing from the chain: #3 names a previous manifest no stored export has"]);
    expect(verdict.problems).toContain("export #2 is missing from the chain: #3 names a previous manifest no stored export has");
    // #1 comes before the gap and still verifies.
    expect((await verifyEvidenceFile(chain[0].file)).ok).toBe(true);
  });

  it("names a link whose previous hash was rewritten in the database", async () => {
    const extra = await exportOnce("four");
    const edited = { ...(await getExport(chain[2].id))!.manifest!, generatedBy: "someone@example.com" };
    await getDb().evidenceExport.update({ where: { id: chain[2].id }, data: { manifest: edited } });
    const verdict = await verifyEvidenceFile(extra.file);
    expect(verdict.chain.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the stored manifest of export #3 hashes to [0-9a-f]{64}, but its row records [0-9a-f]{64}: the row was edited$/), expect.stringMatching(/^export #4 names previous manifest [0-9a-f]{64}, but #3's manifest has SHA-256 [0-9a-f]{64}: the chain was rewritten$/)]),
    );
  });

  it("gives concurrent completions distinct sequence numbers and an unbroken chain", async () => {
    const before = (await listExports({ limit: 200 })).filter((e) => e.status === "done").length;
    const finished = await Promise.all(["a", "b", "c", "d", "e", "f"].map((t) => exportOnce(`concurrent-${t}`)));
    const sequences = finished.map((e) => e.manifest.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual([5, 6, 7, 8, 9, 10]);
    const bySequence = new Map(finished.map((e) => [e.manifest.sequence, e.manifest]));
    for (let s = 6; s <= 10; s += 1) expect(bySequence.get(s)!.previousManifestSha256).toBe(manifestSha256(bySequence.get(s - 1)!));
    expect(before).toBe(3);
  });

  it("lists newest first, pages with `before`, and refuses to complete an export twice", async () => {
    const first = await listExports({ limit: 3 });
    const next = await listExports({ limit: 3, before: first[2].id });
    expect(first).toHaveLength(3);
    expect(next[0].createdAt.getTime()).toBeLessThanOrEqual(first[2].createdAt.getTime());
    expect(new Set([...first, ...next].map((e) => e.id)).size).toBe(6);
    expect(first[0]).not.toHaveProperty("fileData");
    await expect(completeExport(first[0].id, { doc, file: Buffer.from("x"), fileName: "x.csv", contentSha256: contentSha256(doc), signingKey: key })).rejects.toThrow("is already done");
  });

  it("keeps a rotated key's public key so exports it signed still verify", async () => {
    const old = await exportOnce("before rotation");
    const rotated = signingKey();
    await registerSigningKey(rotated.publicKeyPem, rotated.keyId);
    await registerSigningKey(rotated.publicKeyPem, rotated.keyId);
    await getDb().signingKey.update({ where: { keyId: key.keyId }, data: { retiredAt: new Date() } });
    expect((await verifyEvidenceFile(old.file, old.manifest)).signedByThisInstallation).toBe(true);
    expect((await listSigningKeys()).map((k) => k.keyId)).toEqual(expect.arrayContaining([key.keyId, rotated.keyId]));
    await expect(registerSigningKey(rotated.publicKeyPem, key.keyId)).rejects.toThrow(`The public key's id is ${rotated.keyId}`);
    // A retired key signs nothing new (lib/db/signing-keys.test.ts), and the next test signs with `key`.
    await getDb().signingKey.update({ where: { keyId: key.keyId }, data: { retiredAt: null } });
  });

  // Last: it deletes the newest exports, which would break the earlier tests' chain.
  it("names exports deleted from the end of the chain, and the next export continues from the head", async () => {
    const kept = await exportOnce("kept");
    const dropped = [await exportOnce("dropped-1"), await exportOnce("dropped-2")];
    await getDb().evidenceExport.deleteMany({ where: { id: { in: dropped.map((d) => d.id) } } });
    const first = dropped[0].manifest.sequence;
    const verdict = await verifyEvidenceFile(kept.file);
    expect(verdict.intact).toBe(true);
    expect(verdict.chain.problems).toContain(`exports #${first} to #${first + 1} are missing from the end of the chain: the chain's head records #${first + 1}, the newest stored export is #${first - 1}`);
    const next = await exportOnce("after the deletion");
    expect(next.manifest.sequence).toBe(first + 2);
    expect((await verifyEvidenceFile(next.file)).chain.problems).toContain(`exports #${first} to #${first + 1} are missing from the chain: #${first + 2} names a previous manifest no stored export has`);
  });
});
