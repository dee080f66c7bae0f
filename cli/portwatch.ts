import { EnvError, parseEnv } from "@/lib/env";
import { CliError } from "./args";
import { exitWhenFlushed } from "./exit-when-flushed";
import { exportCommand } from "./export";
import { keysCommand } from "./keys";
import { collectCommand } from "./collect";
import { lifecycleCommand } from "./lifecycle";
import { migrateCommand } from "./migrate";
import { resultsCommand } from "./results";
import { sandboxCommand } from "./sandbox";
import { demoCommand, serveCommand } from "./serve";
import { usersCommand } from "./users";
import { verifyCommand } from "./verify";
import { workerCommand } from "./worker";

const HELP = `Usage: portwatch <command> [options]

Commands:
  demo       zero-setup demo: embedded database, the app on http://localhost:3000, login printed
  serve      the web app and a collector worker against DATABASE_URL (or the embedded database)
  worker     collector workers only (run many, on many machines)
  collect    one collection run in the foreground, with progress and a summary of failures
  results    compliance results of the latest evaluated run (table, json or csv)
  export     an evidence export (pdf, csv, json or oscal) with its signed manifest
  lifecycle  preview a lifecycle policy: every error ECR would report, what it expires or archives, the saving
  verify     check an evidence export against its manifest, this installation's key and the hash chain
  keys       the evidence signing keys: list them, retire one after a rotation
  migrate    apply database migrations
  users      manage local users (list, add, set-role, reset-password, disable, enable)
  sandbox    serve a simulated AWS organisation over AWS's real protocols

Run \`portwatch <command> --help\` for a command's options.
Configuration is by environment variables; see the README.`;

type Command = (argv: string[], env: ReturnType<typeof parseEnv>) => Promise<number>;
const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  serve: serveCommand,
  worker: workerCommand,
  collect: collectCommand,
  results: resultsCommand,
  export: exportCommand,
  lifecycle: lifecycleCommand,
  migrate: migrateCommand,
  users: usersCommand,
  verify: verifyCommand,
  keys: keysCommand,
  sandbox: (argv) => sandboxCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}" (one of ${Object.keys(COMMANDS).join(", ")}; see portwatch --help)`);
  // --help needs no valid environment.
  const env = rest.includes("--help") || rest.includes("-h") ? parseEnv({}) : parseEnv(process.env);
  return command(rest, env);
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    if (error instanceof CliError || error instanceof EnvError) {
      console.error(`portwatch: ${error.message}`);
    } else {
      // Unexpected: still one line, without a stack trace or anything secret.
      console.error(`portwatch: unexpected error: ${firstLine(error instanceof Error ? error.message : String(error))}`);
    }
    exitWhenFlushed(1);
  },
);

/** The first line with something on it: some errors (Prisma's) start their message with a line break. */
function firstLine(message: string): string {
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "(no message)";
}
