import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Env } from "@/lib/env";
import { keyIdOf } from "./manifest";

/**
 * The installation's Ed25519 signing key for evidence manifests. The private key comes from
 * PORTWATCH_SIGNING_KEY (base64 PKCS#8 DER, validated in lib/env.ts) or from the file
 * <data dir>/signing-key (PKCS#8 PEM, mode 0600), created on first use. It never goes into the
 * database, a log or git (.portwatch/ is ignored); only the public key is registered in the
 * database (lib/db/evidence-exports.ts) so every process and `portwatch verify` can check it.
 */

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SHA-256 of the public key's SPKI DER, hex, first 16 characters (manifest.ts keyIdOf). */
  keyId: string;
  /** SPKI PEM: what is stored in SigningKey.publicKeyPem and printed by `portwatch verify --public-key`. */
  publicKeyPem: string;
  /** Where the private key came from, for a start-up line (never the key itself). */
  source: "environment" | "file";
  /** The key file, when the key came from one: what to remove to make a new key. */
  file?: string;
}

export const SIGNING_KEY_FILE = "signing-key";

// A relative PORTWATCH_DATA_DIR is relative to the project, as in cli/database.ts dataDir, so the
// CLI and the worker inside `portwatch serve` find the same key wherever they were started from.
// (Where the module's own path is unknown, the web app's working directory is the project.)
const PROJECT_ROOT = typeof import.meta.dirname === "string" ? path.resolve(import.meta.dirname, "..", "..") : process.cwd();

export async function loadSigningKey(
  env: Pick<Env, "PORTWATCH_SIGNING_KEY" | "PORTWATCH_DATA_DIR">,
  { dataDir = path.resolve(PROJECT_ROOT, env.PORTWATCH_DATA_DIR) }: { dataDir?: string } = {},
): Promise<SigningKey> {
  return (await keyFrom(env, dataDir, true))!;
}

/**
 * The key this process would sign with, without making one: null when PORTWATCH_SIGNING_KEY is
 * unset and the key file does not exist yet (`portwatch keys list` must not create a key).
 */
export async function findSigningKey(
  env: Pick<Env, "PORTWATCH_SIGNING_KEY" | "PORTWATCH_DATA_DIR">,
  { dataDir = path.resolve(PROJECT_ROOT, env.PORTWATCH_DATA_DIR) }: { dataDir?: string } = {},
): Promise<SigningKey | null> {
  return keyFrom(env, dataDir, false);
}

/**
 * What a process configured with a retired key is told when it is asked to sign: the key and
 * when it was retired, and the two ways to give it a new one.
 */
export function retiredSigningKeyMessage(key: { keyId: string; file?: string }, retiredAt: Date): string {
  const file = key.file ?? path.join("<PORTWATCH_DATA_DIR>", SIGNING_KEY_FILE);
  return `signing key ${key.keyId} was retired on ${retiredAt.toISOString()}: set PORTWATCH_SIGNING_KEY to a new key or remove ${file}`;
}

async function keyFrom(env: Pick<Env, "PORTWATCH_SIGNING_KEY">, dataDir: string, create: boolean): Promise<SigningKey | null> {
  if (env.PORTWATCH_SIGNING_KEY) {
    const privateKey = createPrivateKey({ key: Buffer.from(env.PORTWATCH_SIGNING_KEY, "base64"), format: "der", type: "pkcs8" });
    return describe(privateKey, "environment");
  }
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  const pem = create ? await readOrCreateKeyFile(file) : await readKeyFile(file);
  if (pem === null) return null;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new Error(`${file} is not a PEM private key: restore it from a backup, or set PORTWATCH_SIGNING_KEY`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key, not Ed25519`);
  return describe(privateKey, "file", file);
}

function describe(privateKey: KeyObject, source: SigningKey["source"], file?: string): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(), source, ...(file ? { file } : {}) };
}

async function readKeyFile(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * Reads the key file, or creates it. Two processes starting at once must end with one key, not
 * two: the new key is written to a private temporary file and linked into place, which fails
 * when the file already exists (then the winner's key is read), and a reader never sees a
 * half-written file.
 */
async function readOrCreateKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600, flag: "wx" });
  try {
    await link(temporary, file);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return await readFile(file, "utf8");
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
