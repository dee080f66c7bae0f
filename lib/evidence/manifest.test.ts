import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { contentSha256 } from "./content-digest";
import { buildManifest, checkManifest, fileSha256, keyIdOf, manifestSha256, parseManifest, signManifest } from "./manifest";
import { sampleEvidenceDocument } from "./testing";
import type { EvidenceManifest } from "./types";

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const installation = keyPair();
const keys = new Map<string, KeyObject>([[installation.keyId, installation.publicKey]]);

const csv = Buffer.from("control,resource,status,reason\r\nECR.1,arn:aws:ecr:us-east-1:111122223333:repository/payments/api,FAIL,imageTagMutability is MUTABLE\r\n", "utf8");

function sealed(file: Buffer, key = installation): EvidenceManifest {
  const doc = sampleEvidenceDocument();
  const unsigned = buildManifest({
    exportId: "exp_1",
    format: "csv",
    fileName: "portwatch-aws-fsbp-2026-11-28-run7.csv",
    fileSha256: fileSha256(file),
    fileBytes: file.length,
    contentSha256: contentSha256(doc),
    framework: doc.framework.id,
    scope: doc.scope,
    runIds: doc.runs.map((r) => r.id),
    evaluationId: doc.evaluation.id,
    generatedBy: doc.generatedBy.email,
    generatedAt: doc.generatedAt,
    previousManifestSha256: null,
    sequence: 1,
    keyId: key.keyId,
  });
  return signManifest(unsigned, key.privateKey);
}

describe("canonicalJson", () => {
  it("sorts keys at every depth, drops whitespace and prints numbers as JavaScript does", () => {
    expect(canonicalJson({ b: [3, { z: 1, a: "é\n" }], a: 1e21, c: 0.1 + 0.2, d: undefined, e: null })).toBe('{"a":1e+21,"b":[3,{"a":"é\\n","z":1}],"c":0.30000000000000004,"e":null}');
  });

  it("refuses what JSON cannot represent instead of signing a null", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow("$.a is NaN");
    expect(() => canonicalJson([undefined])).toThrow("$[0] is undefined");
    expect(() => canonicalJson({ a: 1n })).toThrow("bigint");
  });
});

describe("contentSha256", () => {
  it("depends on the rows, not on the order controls and results were read in", () => {
    const doc = sampleEvidenceDocument();
    const shuffled = structuredClone(doc);
    shuffled.controls.reverse();
    for (const c of shuffled.controls) c.results.reverse();
    expect(contentSha256(shuffled)).toBe(contentSha256(doc));
    expect(contentSha256(doc)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes when a result's reason, the evaluation or the runs change", () => {
    const doc = sampleEvidenceDocument();
    const edited = structuredClone(doc);
    edited.controls[0].results[0].reason = "imageTagMutability is IMMUTABLE";
    const otherEvaluation = structuredClone(doc);
    otherEvaluation.evaluation.id = 13;
    const otherRuns = structuredClone(doc);
    otherRuns.runs.push({ ...doc.runs[0], id: 6 });
    const digests = new Set([doc, edited, otherEvaluation, otherRuns].map(contentSha256));
    expect(digests.size).toBe(4);
  });
});

describe("signed manifests", () => {
  it("verifies an untouched file under its manifest", () => {
    const manifest = sealed(csv);
    expect(manifest).toMatchObject({ version: 1, sequence: 1, keyId: installation.keyId, fileBytes: csv.length });
    expect(manifest.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(checkManifest(csv, manifest, keys)).toMatchObject({ fileIntact: true, signatureValid: true, keyKnown: true, problems: [] });
  });

  it("still verifies a manifest that was pretty-printed and read back with its keys reordered", () => {
    const manifest = sealed(csv);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(manifest).reverse()), null, 2)) as EvidenceManifest;
    expect(checkManifest(csv, reordered, keys).problems).toEqual([]);
    expect(manifestSha256(reordered)).toBe(manifestSha256(manifest));
  });

  it("names a flipped byte: the file's SHA-256 differs from the manifest's", () => {
    const manifest = sealed(csv);
    const flipped = Buffer.from(csv);
    flipped[40] ^= 0x01;
    const verdict = checkManifest(flipped, manifest, keys);
    expect(verdict).toMatchObject({ fileIntact: false, signatureValid: true, keyKnown: true });
    expect(verdict.problems).toEqual([`the file's SHA-256 is ${fileSha256(flipped)}, the manifest says ${manifest.fileSha256}: the file was changed after export`]);
  });

  it("names an edited CSV value, and a changed length", () => {
    const manifest = sealed(csv);
    const edited = Buffer.from(csv.toString("utf8").replace("FAIL", "PASS"), "utf8");
    expect(checkManifest(edited, manifest, keys)).toMatchObject({ fileIntact: false, problems: [expect.stringMatching(/the file's SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}: the file was changed after export/)] });
    const longer = Buffer.concat([csv, Buffer.from("x")]);
    expect(checkManifest(longer, manifest, keys).problems).toContain(`the file is ${csv.length + 1} bytes, the manifest says ${csv.length}: the file was changed after export`);
  });

  it("names a manifest re-hashed for an edited file with the old signature kept", () => {
    const manifest = sealed(csv);
    const edited = Buffer.from(csv.toString("utf8").replace("FAIL", "PASS"), "utf8");
    const forged = { ...manifest, fileSha256: fileSha256(edited), fileBytes: edited.length };
    const verdict = checkManifest(edited, forged, keys);
    expect(verdict).toMatchObject({ fileIntact: true, signatureValid: false, keyKnown: true });
    expect(verdict.problems).toEqual(["the signature does not match the manifest: the manifest was edited or re-hashed without the installation's key"]);
  });

  it("names a manifest re-signed with another key, whether it keeps our key id or names its own", () => {
    const edited = Buffer.from(csv.toString("utf8").replace("FAIL", "PASS"), "utf8");
    const intruder = keyPair();
    const ownId = sealed(edited, intruder);
    const verdict = checkManifest(edited, ownId, keys);
    expect(verdict).toMatchObject({ fileIntact: true, signatureValid: false, keyKnown: false });
    expect(verdict.problems).toEqual([expect.stringContaining(`signed by key ${intruder.keyId}, which this installation does not know`)]);

    // Claiming the installation's key id while signing with another key: the signature fails.
    const { signature: _unused, ...unsigned } = sealed(edited, installation);
    const borrowed: EvidenceManifest = { ...unsigned, signature: signManifest({ ...unsigned, keyId: intruder.keyId }, intruder.privateKey).signature };
    expect(checkManifest(edited, borrowed, keys)).toMatchObject({ fileIntact: true, signatureValid: false, keyKnown: true });
  });

  it("treats a garbled signature and an added field as a broken signature", () => {
    const manifest = sealed(csv);
    expect(checkManifest(csv, { ...manifest, signature: "not base64!" }, keys).signatureValid).toBe(false);
    const extra = { ...manifest, note: "approved" } as EvidenceManifest;
    expect(checkManifest(csv, extra, keys).signatureValid).toBe(false);
    expect(parseManifest(extra)).toMatchObject({ ok: false, problems: [expect.stringContaining("the manifest's content is not valid")] });
  });

  it("checks a manifest read from a file field by field", () => {
    const manifest = sealed(csv);
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual({ ok: true, manifest });
    expect(parseManifest({ ...manifest, fileSha256: "abc" })).toEqual({ ok: false, problems: ["the manifest's fileSha256 is not valid: must be a SHA-256 in lowercase hex (64 characters)"] });
  });

  it("refuses to sign with a key other than the one the manifest names", () => {
    const { signature: _unused, ...unsigned } = sealed(csv);
    expect(() => signManifest(unsigned, keyPair().privateKey)).toThrow(`the manifest names key ${installation.keyId}`);
  });

  it("hashes the manifest with its signature, so the next export links to exactly this one", () => {
    const manifest = sealed(csv);
    expect(manifestSha256(manifest)).toMatch(/^[0-9a-f]{64}$/);
    expect(manifestSha256({ ...manifest, signature: sealed(csv).signature })).toBe(manifestSha256(manifest)); // Ed25519 is deterministic
    expect(manifestSha256({ ...manifest, sequence: 2 })).not.toBe(manifestSha256(manifest));
  });
});
