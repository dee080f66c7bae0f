import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * A secret kept in the local data directory (the embedded database's password, the generated
 * AUTH_SECRET, the demo's admin password): read it if it exists, else make it and write it
 * readable by this user only. Never for production secrets, which come from the environment.
 */
export async function readOrCreateSecretFile(file: string, make: () => string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const value = make();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}
