// Benchmark: the compliance pages served over HTTP with the `scale` organisation loaded
// (100 accounts x 4 regions, about 56,000 results per evaluation): the framework list, a matrix
// by account, a matrix by account and region, and a control page, 50 requests each after a
// warm-up, signed in as an admin. Reports p50 and p95 (target: p95 under 300 ms).
// Needs `npm run build` first. Run by hand: node bench/compliance-pages.mjs (results in bench/RESULTS.md).
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test) for a scratch database.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin/portwatch.mjs");
const adminUrl = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
const NAME = "portwatch_bench_pages";

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

function run(args, env, { until } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
  let out = "";
  return new Promise((resolve, reject) => {
    const check = () => until && out.includes(until) && resolve({ child, out });
    child.stdout.on("data", (d) => ((out += d), check()));
    child.stderr.on("data", (d) => ((out += d), check()));
    child.on("exit", (code) => (until ? reject(new Error(`${args[0]} exited ${code}: ${out.slice(-2000)}`)) : resolve({ code, out })));
  });
}

async function signIn(baseURL, email, password) {
  const csrfRes = await fetch(`${baseURL}/api/auth/csrf`);
  const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = await csrfRes.json();
  const res = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  if (res.status !== 302 || (res.headers.get("location") ?? "").includes("error")) throw new Error(`sign-in failed: ${res.status}`);
  return [cookie, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
}

async function timePage(baseURL, cookie, pathname, n = 50) {
  const get = async () => {
    const res = await fetch(`${baseURL}${pathname}`, { headers: { cookie }, redirect: "manual" });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${pathname}: HTTP ${res.status}`);
    return body.length;
  };
  for (let i = 0; i < 3; i++) await get();
  const times = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    bytes = await get();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `| ${pathname} | ${times[Math.floor(n / 2)].toFixed(0)} ms | ${times[Math.floor(n * 0.95)].toFixed(0)} ms | ${Math.round(bytes / 1024)} KiB |`;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-bench-pages-"));
await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin(`CREATE DATABASE ${NAME}`);
const url = new URL(adminUrl);
url.pathname = `/${NAME}`;
const sandboxPort = await freePort();
const webPort = await freePort();
const password = "bench-password-0123456789";
const { PORTWATCH_CONFIG: _c, ...base } = process.env;
const env = {
  ...base,
  DATABASE_URL: url.toString(),
  AWS_ENDPOINT_URL: `http://127.0.0.1:${sandboxPort}`,
  AWS_ACCESS_KEY_ID: "AKIAPORTWATCHSANDBOX",
  AWS_SECRET_ACCESS_KEY: "portwatch-sandbox-secret-not-a-real-key",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  PORTWATCH_ADMIN_EMAIL: "bench@example.com",
  PORTWATCH_ADMIN_PASSWORD: password,
  PORTWATCH_SERVE_WORKER: "false",
  PORTWATCH_WORKER_CONCURRENCY: "48",
};
const config = path.join(dir, "config.json");
const sandbox = await run(["sandbox", "--profile", "scale", "--port", String(sandboxPort), "--write-config", config], env, { until: "Press Ctrl-C" });
let server;
try {
  const t = performance.now();
  const collected = await run(["collect", "--config", config], env);
  if (collected.code !== 0) throw new Error(`collect exited ${collected.code}: ${collected.out.slice(-2000)}`);
  console.log(`Collected and evaluated the scale organisation in ${((performance.now() - t) / 1000).toFixed(1)} s: ${/Evaluated run #\d+: (\d+) results/.exec(collected.out)?.[1]} results.`);
  console.log(`${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.\n`);
  server = await run(["serve", "--port", String(webPort)], { ...env, AUTH_URL: `http://localhost:${webPort}` }, { until: "Press Ctrl-C" });
  const baseURL = `http://localhost:${webPort}`;
  const cookie = await signIn(baseURL, "bench@example.com", password);
  console.log("| page (scale profile) | p50 | p95 | size |\n|---|---|---|---|");
  for (const page of ["/compliance", "/compliance/aws-fsbp", "/compliance/nist-800-53-r5?by=region", "/compliance/aws-fsbp/ECR.1", "/compliance/aws-fsbp/ECR.1?status=FAIL", "/overview"]) {
    console.log(await timePage(baseURL, cookie, page));
  }
} finally {
  server?.child.kill("SIGINT");
  sandbox.child.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 1500));
  await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await rm(dir, { recursive: true, force: true });
}
