import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, disconnectDb, getDb } from "@/lib/db/client";
import { completeExport, createExportRequest, registerSigningKey } from "@/lib/db/evidence-exports";
import { closePool } from "@/lib/db/pool";
import { contentSha256 } from "@/lib/evidence/content-digest";
import { keyIdOf } from "@/lib/evidence/manifest";
import { sampleEvidenceDocument } from "@/lib/evidence/testing";
import { portwatch } from "@/test/cli";
import { createTestDatabase } from "@/test/database";

// `portwatch keys` as an operator runs it during a key rotation: list, retire the old key, and an
// export made before the rotation still verifies with `portwatch verify`.

function makeKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    base64: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

let dir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const oldKey = makeKey();
const newKey = makeKey();
let oldEnv: Record<string, string>;
let newEnv: Record<string, string>;
let exported: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-keys-"));
  db = await createTestDatabase();
  oldEnv = { DATABASE_URL: db.url, PORTWATCH_DATA_DIR: path.join(dir, "data"), PORTWATCH_SIGNING_KEY: oldKey.base64 };
  newEnv = { ...oldEnv, PORTWATCH_SIGNING_KEY: newKey.base64 };
  connectDatabase(db.url);
  const doc = sampleEvidenceDocument();
  for (const text of ["first", "second"]) {
    const { id } = await createExportRequest({ framework: "aws-fsbp", scope: { accountIds: [], regions: [], runId: null }, format: "csv", createdBy: "auditor@example.com", createdById: null });
    const file = Buffer.from(`control,status\r\nECR.1,FAIL\r\n${text}\r\n`, "utf8");
    const manifest = await completeExport(id, { doc, file, fileName: `${text}.csv`, contentSha256: contentSha256(doc), signingKey: oldKey });
    exported = path.join(dir, `${text}.csv`);
    await writeFile(exported, file);
    await writeFile(`${exported}.manifest.json`, JSON.stringify(manifest));
  }
  // The new key is rolled out: a worker with it registered it before its first export.
  await registerSigningKey(newKey.publicKeyPem, newKey.keyId);
  await closePool();
  await disconnectDb();
}, 60_000);

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** The table's row for a key, split into its cells. */
function row(stdout: string, keyId: string): string[] {
  const line = stdout.split("\n").find((l) => l.startsWith(keyId));
  expect(line, `a row for ${keyId} in:\n${stdout}`).toBeDefined();
  return line!.split(/\s{2,}/);
}

// Each test spawns the CLI up to four times (1-5 s each on a loaded machine).
describe("portwatch keys", { timeout: 90_000 }, () => {
  it("has --help naming both commands and the rotation", async () => {
    const run = await portwatch(["keys", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: portwatch keys list");
    expect(run.stdout).toContain("portwatch keys retire KEYID");
    expect(run.stdout).toContain("openssl genpkey -algorithm ed25519 -outform DER | base64 -w0");
  });

  it("lists every key with its exports and marks the one this process signs with", async () => {
    const run = await portwatch(["keys", "list"], newEnv);
    expect(run.stderr).not.toMatch(/portwatch:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^KEY ID\s+CREATED\s+RETIRED\s+EXPORTS/);
    expect(row(run.stdout, oldKey.keyId)).toEqual([oldKey.keyId, expect.stringMatching(/^\d{4}-\d\d-\d\dT/), "-", "2"]);
    expect(row(run.stdout, newKey.keyId)).toEqual([newKey.keyId, expect.stringMatching(/^\d{4}-\d\d-\d\dT/), "-", "0", "<- signs here"]);
    expect(run.stdout).toContain(`This process signs with key ${newKey.keyId} (from PORTWATCH_SIGNING_KEY).`);
  });

  it("says when this process has no key yet, and does not make one", async () => {
    const { PORTWATCH_SIGNING_KEY: _unset, ...noKey } = newEnv;
    const run = await portwatch(["keys", "list"], noKey);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("This process has no signing key yet");
    expect(await readdir(noKey.PORTWATCH_DATA_DIR).catch(() => [])).not.toContain("signing-key");
  });

  it("refuses a malformed, an unknown or a missing key id in one line", async () => {
    const bad = await portwatch(["keys", "retire", "not-a-key"], newEnv);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('portwatch: keys retire: KEYID must be 16 lowercase hex characters, as portwatch keys list shows it, not "not-a-key"\n');
    const unknown = await portwatch(["keys", "retire", "0123456789abcdef"], newEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("portwatch: no signing key 0123456789abcdef in this installation (see portwatch keys list)\n");
    const none = await portwatch(["keys", "retire"], newEnv);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("give exactly one KEYID");
    const sub = await portwatch(["keys", "rotate"], newEnv);
    expect(sub.code).toBe(1);
    expect(sub.stderr).toContain('keys: unknown command "rotate" (one of list, retire');
  });

  it("retires the old key, audits it, shows it retired and refuses to retire it twice", async () => {
    const run = await portwatch(["keys", "retire", oldKey.keyId], newEnv);
    expect(run.stderr).not.toMatch(/portwatch:/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Retired signing key ${oldKey.keyId} on (\\S+)\\. The 2 export\\(s\\) it signed keep verifying; it signs nothing new\\.\\n$`));
    const retiredAt = /on (\S+)\. The/.exec(run.stdout)![1];

    const list = await portwatch(["keys", "list"], newEnv);
    expect(row(list.stdout, oldKey.keyId)).toEqual([oldKey.keyId, expect.any(String), retiredAt, "2"]);

    connectDatabase(db.url);
    const audit = await getDb().auditLog.findMany({ where: { targetId: oldKey.keyId }, select: { action: true, actorEmail: true } });
    await disconnectDb();
    expect(audit).toEqual([{ action: "signing_key.retire", actorEmail: `cli:${os.userInfo().username}` }]);

    const again = await portwatch(["keys", "retire", oldKey.keyId], newEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`portwatch: signing key ${oldKey.keyId} is already retired (since ${retiredAt})\n`);
  });

  it("still verifies an export the retired key signed before its retirement", async () => {
    const run = await portwatch(["verify", exported], newEnv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`✓ Signed by this installation \\(key ${oldKey.keyId}, retired since \\d{4}-\\d\\d-\\d\\dT`));
    expect(run.stdout).toMatch(new RegExp(`· signed by key ${oldKey.keyId} on .+, before the key was retired`));
    expect(run.stdout).toContain("✓ Hash chain: export #2 of 2");
  });

  it("warns a process still configured with the retired key", async () => {
    const list = await portwatch(["keys", "list"], oldEnv);
    expect(list.code).toBe(0);
    expect(row(list.stdout, oldKey.keyId).at(-1)).toBe("<- signs here");
    expect(list.stdout).toContain(`Key ${oldKey.keyId} is retired: this process will refuse to make exports until it is given a new key.`);
  });
});
