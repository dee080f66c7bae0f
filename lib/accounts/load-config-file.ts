import { readFile } from "node:fs/promises";
import { type AccountsConfig, parseAccountsConfig } from "./config-schema";

/**
 * Reads and validates an accounts config file. Throws with every problem, one per line, so the
 * caller can refuse the file as a whole: nothing is applied from a file that has one bad entry.
 */
export async function loadAccountsConfigFile(path: string): Promise<AccountsConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot be read (${code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: is not valid JSON: ${describeSyntaxError(text, error as Error)}`);
  }
  const parsed = parseAccountsConfig(json);
  if (!parsed.ok) {
    const count = parsed.issues.length;
    throw new Error(`${path}: ${count === 1 ? "1 problem" : `${count} problems`}, nothing was applied:\n${parsed.issues.map((i) => `  ${i}`).join("\n")}`);
  }
  return parsed.config;
}

/** Node names the offset ("at position 123"); people look for a line and a column. */
function describeSyntaxError(text: string, error: Error): string {
  const message = error.message;
  const match = /at position (\d+)/.exec(message) ?? /position (\d+)/.exec(message);
  if (!match) return text.trim() === "" ? "the file is empty" : message;
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${message.replace(/\s*(?:in JSON )?at position \d+.*$/s, "")} at line ${line}, column ${column}`;
}
