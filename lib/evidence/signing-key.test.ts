import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { keyIdOf } from "./manifest";
import { findSigningKey, loadSigningKey, retiredSigningKeyMessage } from "./signing-key";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-signing-key-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("loadSigningKey", () => {
  it("creates an Ed25519 key readable by this user only on first use, and reads the same key afterwards", async () => {
    const dataDir = path.join(dir, "first");
    const env = parseEnv({ PORTWATCH_DATA_DIR: dataDir });
    const first = await loadSigningKey(env);
    expect(first).toMatchObject({ source: "file", keyId: keyIdOf(first.publicKey) });
    expect(first.privateKey.asymmetricKeyType).toBe("ed25519");
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect((await stat(path.join(dataDir, "signing-key"))).mode & 0o777).toBe(0o600);
    expect((await loadSigningKey(env)).keyId).toBe(first.keyId);
  });

  it("ends with one key when several processes start at once", async () => {
    const dataDir = path.join(dir, "race");
    const env = parseEnv({ PORTWATCH_DATA_DIR: dataDir });
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadSigningKey(env)));
    expect(new Set(loaded.map((k) => k.keyId)).size).toBe(1);
    expect(await readdir(dataDir)).toEqual(["signing-key"]);
  });

  it("prefers PORTWATCH_SIGNING_KEY and never writes a file then", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const dataDir = path.join(dir, "from-env");
    const env = parseEnv({ PORTWATCH_DATA_DIR: dataDir, PORTWATCH_SIGNING_KEY: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64") });
    const key = await loadSigningKey(env);
    expect(key).toMatchObject({ source: "environment", keyId: keyIdOf(publicKey) });
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
  });

  it("names a damaged key file", async () => {
    const dataDir = path.join(dir, "damaged");
    await loadSigningKey(parseEnv({ PORTWATCH_DATA_DIR: dataDir }));
    await writeFile(path.join(dataDir, "signing-key"), "garbage");
    await expect(loadSigningKey(parseEnv({ PORTWATCH_DATA_DIR: dataDir }))).rejects.toThrow("signing-key is not a PEM private key");
  });
});

describe("findSigningKey", () => {
  it("finds the key a process would sign with without ever making one", async () => {
    const dataDir = path.join(dir, "find");
    const env = parseEnv({ PORTWATCH_DATA_DIR: dataDir });
    expect(await findSigningKey(env)).toBeNull();
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
    const made = await loadSigningKey(env);
    expect(await findSigningKey(env)).toMatchObject({ keyId: made.keyId, source: "file", file: path.join(dataDir, "signing-key") });
  });

  it("tells a process with a retired key how to get a new one", () => {
    const at = new Date("2026-11-01T12:00:00.000Z");
    expect(retiredSigningKeyMessage({ keyId: "0123456789abcdef", file: "/srv/pw/signing-key" }, at)).toBe(
      "signing key 0123456789abcdef was retired on 2026-11-01T12:00:00.000Z: set PORTWATCH_SIGNING_KEY to a new key or remove /srv/pw/signing-key",
    );
  });
});

describe("PORTWATCH_SIGNING_KEY", () => {
  it.each([
    ["not base64 at all!"],
    [Buffer.from("hello").toString("base64")],
    [generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "der", type: "pkcs8" }).toString("base64")],
  ])("refuses %s with the variable's name and how to make one", (value) => {
    expect(() => parseEnv({ PORTWATCH_SIGNING_KEY: value })).toThrow("PORTWATCH_SIGNING_KEY must be the base64 of an Ed25519 private key in PKCS#8 DER");
  });
});
