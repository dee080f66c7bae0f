import os from "node:os";
import type { Actor } from "@/lib/db/audit";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { closePool } from "@/lib/db/pool";
import { listSigningKeyUse, retireSigningKey } from "@/lib/db/signing-keys";
import type { Env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { findSigningKey, type SigningKey } from "@/lib/evidence/signing-key";
import { CliError, parseCommandArgs } from "./args";
import { dataDir, openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const KEYS_HELP = `Usage: portwatch keys list
       portwatch keys retire KEYID

The Ed25519 keys that sign evidence manifests.

Commands:
  list           every key this installation knows: its id, when it was registered and
                 retired, how many exports it signed, and which key this process would sign
                 with (PORTWATCH_SIGNING_KEY, else <data dir>/signing-key)
  retire KEYID   retire a key now, after every process signs with a new one: exports it
                 signed before keep verifying; anything it signs afterwards does not verify,
                 and a process still configured with it refuses to make exports

Rotate: make a new key (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0, for
PORTWATCH_SIGNING_KEY; or remove <data dir>/signing-key and a new one is made), restart every
serve and worker process with it, then run portwatch keys retire OLDKEYID.

Retirements are written to the audit log as "cli:<your OS user>".
Exit status: 0 done, 1 bad input, an unknown key or one already retired.`;

const KEY_ID = /^[0-9a-f]{16}$/;

export async function keysCommand(argv: string[], env: Env): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(KEYS_HELP);
    return sub ? 0 : 1;
  }
  if (sub !== "list" && sub !== "retire") throw new CliError(`keys: unknown command "${sub.slice(0, 40)}" (one of list, retire; see portwatch keys --help)`);
  const { values, positionals } = parseCommandArgs(`keys ${sub}`, rest, {}, true);
  if (values.help) {
    console.log(KEYS_HELP);
    return 0;
  }
  let keyId: string | undefined;
  if (sub === "list") {
    if (positionals.length > 0) throw new CliError("keys list takes no arguments (see portwatch keys --help)");
  } else {
    if (positionals.length !== 1) throw new CliError("keys retire: give exactly one KEYID, as portwatch keys list shows it");
    keyId = positionals[0];
    if (!KEY_ID.test(keyId)) throw new CliError(`keys retire: KEYID must be 16 lowercase hex characters, as portwatch keys list shows it, not "${keyId.slice(0, 40)}"`);
  }

  // Never makes a key: listing must not change which key the installation signs with.
  const own = await findSigningKey(env, { dataDir: dataDir(env) });
  const db = await openDatabase(env, (line) => console.error(line));
  try {
    await applyMigrations(db.url, () => undefined);
    connectDatabase(db.url);
    if (sub === "list") printList(await listSigningKeyUse(), own);
    else await retire(keyId!, own);
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.message);
    throw error;
  } finally {
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
  return 0;
}

function ownKeyLine(own: SigningKey | null): string {
  if (!own) return "This process has no signing key yet: PORTWATCH_SIGNING_KEY is unset and there is no key file; the first export makes one.";
  return `This process signs with key ${own.keyId} (from ${own.source === "environment" ? "PORTWATCH_SIGNING_KEY" : own.file}).`;
}

function printList(keys: Awaited<ReturnType<typeof listSigningKeyUse>>, own: SigningKey | null): void {
  const lines: string[] = [];
  if (keys.length === 0) {
    lines.push("No signing key is registered yet: a key is registered when it makes its first export.");
  } else {
    const header = ["KEY ID", "CREATED", "RETIRED", "EXPORTS", ""];
    const rows = keys.map((k) => [k.keyId, k.createdAt.toISOString(), k.retiredAt ? k.retiredAt.toISOString() : "-", String(k.exportsSigned), k.keyId === own?.keyId ? "<- signs here" : ""]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const row of [header, ...rows]) lines.push(row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
  }
  lines.push(ownKeyLine(own));
  const registered = own ? keys.find((k) => k.keyId === own.keyId) : undefined;
  if (own && !registered) lines.push(`Key ${own.keyId} is not registered yet: it will be when this installation next makes an export.`);
  if (registered?.retiredAt) lines.push(`Key ${own!.keyId} is retired: this process will refuse to make exports until it is given a new key.`);
  console.log(lines.join("\n"));
}

async function retire(keyId: string, own: SigningKey | null): Promise<void> {
  const actor: Actor = { id: null, email: `cli:${os.userInfo().username}` };
  const { retiredAt, exportsSigned } = await retireSigningKey(keyId, actor);
  console.log(`Retired signing key ${keyId} on ${retiredAt.toISOString()}. The ${exportsSigned} export(s) it signed keep verifying; it signs nothing new.`);
  if (own?.keyId === keyId) {
    console.log(
      `Warning: this process is configured with key ${keyId}: set PORTWATCH_SIGNING_KEY to a new key${own.source === "file" ? ` or remove ${own.file}` : ""} on every serve and worker process, or their exports will fail.`,
    );
  }
}
