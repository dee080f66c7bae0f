import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake in how the command was called: printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliError(`${command}: ${message.replace(/^TypeError \[[A-Z_]+\]: /, "")} (see portwatch ${command} --help)`);
  }
}

export function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new CliError(`${name} must be a port number from 1 to 65535, not "${value}"`);
  }
  return Number(value);
}

/** Reads a secret from standard input (so it stays out of shell history and `ps`). */
export async function readStdinSecret(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError("--password-stdin expects the password on standard input, e.g. printf %s \"$PW\" | portwatch ...");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}
