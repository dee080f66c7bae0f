import { readFileSync } from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./config";

/** The environment that points the `portwatch` command at the app under test's database. */
export function cliEnv(): NodeJS.ProcessEnv {
  const saved = JSON.parse(readFileSync(path.join(STATE_DIR, "env.json"), "utf8")) as Record<string, string | undefined>;
  const { DATABASE_URL: _theirs, ...base } = process.env;
  return Object.fromEntries(Object.entries({ ...base, ...saved }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
}
