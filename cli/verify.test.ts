import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { completeExport, createExportRequest } from "@/lib/db/evidence-exports";
import { closePool, getPool } from "@/lib/db/pool";
import { contentSha256 } from "@/lib/evidence/content-digest";
import { fileSha256, keyIdOf } from "@/lib/evidence/manifest";
import { sampleEvidenceDocument } from "@/lib/evidence/testing";
import type { EvidenceManifest } from "@/lib/evidence/types";
import { portwatch } from "@/test/cli";
import { createTestDatabase } from "@/test/database";

// `portwatch verify` as an auditor runs it on a file and manifest they were handed.

let dir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const key = { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString() };
let file: Buffer;
let manifest: EvidenceManifest;

async function write(name: string, data: Buffer | string): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, data);
  return target;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-verify-"));
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, PORTWATCH_SIGNING_KEY: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64") };
  connectDatabase(db.url);
  const doc = sampleEvidenceDocument();
  for (const text of ["first", "second"]) {
    const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null });
    file = Buffer.from(`control,resource,status\r\nECR.1,payments/api,FAIL\r\n${text}\r\n`, "utf8");
    manifest = await completeExport(id, { doc, file, fileName: `${text}.csv`, contentSha256: contentSha256(doc), signingKey: key });
  }
  await closePool();
  await disconnectDb();
}, 60_000);

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("portwatch verify", () => {
  it("passes an intact export with the manifest beside it, and prints every check", async () => {
    const target = await write("intact.csv", file);
    await write("intact.csv.manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
    const run = await portwatch(["verify", target], env);
    expect(run.stderr).not.toMatch(/portwatch:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✓ Manifest ${target}.manifest.json`);
    expect(run.stdout).toContain(`✓ File intact: SHA-256 and size (${file.length} bytes) match the manifest`);
    expect(run.stdout).toContain(`✓ Signed by this installation (key ${key.keyId})`);
    expect(run.stdout).toContain("✓ Hash chain: export #2 of 2, every link from #1 intact");
  });

  it("finds the manifest by the file's SHA-256 when none is given", async () => {
    const run = await portwatch(["verify", await write("no-manifest.csv", file)], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✓ Manifest found in the database by the file's SHA-256 (export ${manifest.exportId})`);
  });

  it("fails a file with one flipped byte and says why", async () => {
    const flipped = Buffer.from(file);
    flipped[10] ^= 0x01;
    const manifestFile = await write("flipped.manifest.json", JSON.stringify(manifest));
    const run = await portwatch(["verify", await write("flipped.csv", flipped), "--manifest", manifestFile], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✗ File intact");
    expect(run.stdout).toContain(`the file's SHA-256 is ${fileSha256(flipped)}, the manifest says ${manifest.fileSha256}: the file was changed after export`);
    expect(run.stdout).toContain("✓ Signed by this installation");
    expect(run.stdout).toMatch(/Not verified\.\n$/);
  });

  it("fails a manifest forged to match an edited file", async () => {
    const edited = Buffer.from(file.toString("utf8").replace("FAIL", "PASS"), "utf8");
    const forged = { ...manifest, fileSha256: fileSha256(edited), fileBytes: edited.length };
    const target = await write("forged.csv", edited);
    await write("forged.csv.manifest.json", JSON.stringify(forged));
    const run = await portwatch(["verify", target], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ File intact");
    expect(run.stdout).toContain("✗ Signed by this installation");
    expect(run.stdout).toContain("the signature does not match the manifest: the manifest was edited or re-hashed without the installation's key");
    expect(run.stdout).toContain("differs from the given one (fileSha256)");
  });

  it("fails a file the installation never exported and a manifest that is not one", async () => {
    const stranger = await portwatch(["verify", await write("stranger.csv", "a,b\r\n")], env);
    expect(stranger.code).toBe(1);
    expect(stranger.stdout).toContain("not an export of this installation, or changed after export: no manifest and no export with this SHA-256");
    const broken = await write("broken.manifest.json", JSON.stringify({ ...manifest, sequence: 0 }));
    const run = await portwatch(["verify", await write("broken.csv", file), "--manifest", broken], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the manifest's sequence is not valid");
  });

  it("prints the installation's public key and key id", async () => {
    const run = await portwatch(["verify", "--public-key"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Key id: ${key.keyId}\n${key.publicKeyPem}`);
  });

  it("refuses a missing file in one line", async () => {
    const run = await portwatch(["verify", path.join(dir, "nope.pdf")], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`portwatch: the file ${path.join(dir, "nope.pdf")} does not exist\n`);
  });

  // Last: it adds a third export and deletes the second, which the earlier tests count on.
  it("names an export deleted from the middle of the chain when verifying a later one", async () => {
    connectDatabase(db.url);
    const doc = sampleEvidenceDocument();
    const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null });
    const third = Buffer.from("control,resource,status\r\nECR.2,payments/api,FAIL\r\nthird\r\n", "utf8");
    await completeExport(id, { doc, file: third, fileName: "third.csv", contentSha256: contentSha256(doc), signingKey: key });
    await getPool().query(`DELETE FROM "EvidenceExport" WHERE "sequence" = 2`);
    await closePool();
    await disconnectDb();
    const run = await portwatch(["verify", await write("third.csv", third)], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ File intact");
    expect(run.stdout).toContain("export #2 is missing from the chain: #3 names a previous manifest no stored export has");
  });
});
