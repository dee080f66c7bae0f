// Benchmark: the Costs page over HTTP with a year of daily Cost Explorer rows for 100 linked accounts
// (about 219,000 account rows, written with SQL by bench/costs-page-data.mjs: no sandbox, no
// collection). `portwatch serve` (web only) on a scratch database, signed in as an admin, then per
// URL: the first request (the view is computed: nothing cached yet) and 50 more after 3 warm-ups,
// one at a time; p50 and p95 (target: p95 under 300 ms for /costs).
// Needs `npm run build` first. Run by hand: node bench/costs-page.mjs   (results in bench/RESULTS.md)
// Without a build: node bench/costs-page-queries.mjs times the same reads in process.
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test) for a scratch database.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadCostYear } from "./costs-page-data.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATABASE = "portwatch_bench_costs_page";
const RUNS = 50;
const EMAIL = "bench@example.com";
const PASSWORD = "bench-costs-password-0123456789";

if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
  console.error("No build found: run `npm run build` first (or time the reads alone: node bench/costs-page-queries.mjs).");
  process.exit(1);
}

const adminUrl = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
const benchUrl = new URL(adminUrl);
benchUrl.pathname = `/${DATABASE}`;

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs `portwatch <args>`; resolves once `ready` appears in its output (then it keeps running), or when it exits. */
function portwatch(args, env, ready) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/portwatch.mjs"), ...args], { cwd: ROOT, env });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (ready && output.includes(ready)) resolve({ child, output });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      if (ready) reject(new Error(`portwatch ${args[0]} exited (${code}) before it was ready:\n${output.slice(-2000)}`));
      else resolve({ code, output });
    });
  });
}

/** Signs in through Auth.js's credentials callback as a browser form would; returns the Cookie header. */
async function signIn(base) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = new Map(csrf.headers.getSetCookie().map((c) => c.split(";")[0].split("=", 2)));
  const { csrfToken } = await csrf.json();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD }),
  });
  for (const c of res.headers.getSetCookie()) {
    const [name, value] = c.split(";")[0].split("=", 2);
    jar.set(name, value);
  }
  if (res.status !== 302 || /error/.test(res.headers.get("location") ?? "")) throw new Error(`sign-in failed (HTTP ${res.status})`);
  return cookie();
}

async function get(base, cookie, url) {
  const start = performance.now();
  const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: "manual" });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return { ms: performance.now() - start, bytes: Buffer.byteLength(body) };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

let server;
try {
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${DATABASE}`);
  });
  const port = await freePort();
  const { PORTWATCH_CONFIG: _config, ...inherited } = process.env;
  const env = {
    ...inherited,
    DATABASE_URL: benchUrl.toString(),
    PORTWATCH_ADMIN_EMAIL: EMAIL,
    PORTWATCH_ADMIN_PASSWORD: PASSWORD,
    PORTWATCH_SERVE_WORKER: "false",
    AUTH_URL: `http://localhost:${port}`,
  };
  const migrated = await portwatch(["migrate"], env);
  if (migrated.code !== 0) throw new Error(`portwatch migrate exited ${migrated.code}: ${migrated.output.slice(-2000)}`);
  const loadStart = performance.now();
  const loaded = await withClient(benchUrl.toString(), (c) => loadCostYear((text, params) => c.query(text, params)));
  console.log(`Loaded ${loaded.dailyRows} daily account rows (${loaded.series} account x usage type series, 365 days) and ${loaded.monthlyRows} monthly rows in ${((performance.now() - loadStart) / 1000).toFixed(1)} s.`);
  const version = await withClient(benchUrl.toString(), async (c) => (await c.query("SHOW server_version")).rows[0].server_version);
  console.log(`${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${version}, ${new Date().toISOString().slice(0, 10)}.\n`);

  server = await portwatch(["serve", "--port", String(port)], env, "Press Ctrl-C");
  const base = `http://localhost:${port}`;
  const cookie = await signIn(base);
  const account = await withClient(benchUrl.toString(), async (c) => (await c.query(`SELECT "key" FROM "CostMonthly" WHERE "dimension" = 'LINKED_ACCOUNT' ORDER BY "key" LIMIT 1 OFFSET 7`)).rows[0].key);

  // "first": the first request of a URL computes its view; the next ones find it in the process's
  // view cache (lib/db/costs.ts) until a new Cost Explorer read lands.
  console.log(`| request (a year of 100 accounts) | first | p50 | p95 | size |\n|---|---|---|---|---|`);
  for (const url of ["/costs", "/costs?range=30", "/costs?range=365", `/costs?account=${account}`, "/costs?region=eu-west-1", "/api/costs/daily", "/api/costs/anomalies?range=365"]) {
    const first = await get(base, cookie, url);
    for (let i = 0; i < 3; i++) await get(base, cookie, url);
    const times = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await get(base, cookie, url);
      times.push(r.ms);
      bytes = r.bytes;
    }
    times.sort((a, b) => a - b);
    console.log(`| ${url} | ${first.ms.toFixed(0)} ms | ${percentile(times, 0.5).toFixed(0)} ms | ${percentile(times, 0.95).toFixed(0)} ms | ${Math.round(bytes / 1024)} KiB |`);
  }
} finally {
  if (server) {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`)).catch(() => undefined);
}
