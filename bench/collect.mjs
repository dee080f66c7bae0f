// Benchmark: `portwatch collect` against `portwatch sandbox --profile scale --throttle`
// (100 accounts x 4 regions, throttled like AWS), then again with nothing changed.
// Reports AWS calls, wall time, the lower bound (the busiest target's calls at the sandbox's
// rates), the ratio, throttled calls, calls that failed for good, rows written, peak memory.
// Run by hand: node bench/collect.mjs [--concurrency N]   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test) and creates a
// database portwatch_bench_collect on it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { concurrency: { type: "string", default: "96" } } });
const adminUrl = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
const benchDb = "portwatch_bench_collect";

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
await admin(`CREATE DATABASE ${benchDb}`);
const url = new URL(adminUrl);
url.pathname = `/${benchDb}`;
const databaseUrl = url.toString();

const sandbox = spawn(process.execPath, [path.join(ROOT, "bin/portwatch.mjs"), "sandbox", "--profile", "scale", "--throttle", "--port", "0", "--write-config", "/tmp/pw-bench-collect.json"], { cwd: ROOT });
let sandboxOut = "";
const endpoint = await new Promise((resolve, reject) => {
  sandbox.stdout.on("data", (d) => {
    sandboxOut += d;
    const m = /Endpoint: (http:\/\/\S+)/.exec(sandboxOut);
    if (m && sandboxOut.includes("Accounts config written")) resolve(m[1]);
  });
  sandbox.on("exit", (code) => reject(new Error(`sandbox exited ${code}: ${sandboxOut}`)));
});
const metrics = async () => (await fetch(`${endpoint}/__sandbox/metrics`)).json();

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: "AKIAPORTWATCHSANDBOX",
  AWS_SECRET_ACCESS_KEY: "portwatch-sandbox-secret-not-a-real-key",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  PORTWATCH_WORKER_CONCURRENCY: values.concurrency,
  ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
};
// As `npx portwatch` runs it (the bin's shebang and the npm scripts pass this flag).
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "--max-old-space-size=384").split(" ").filter(Boolean);

function status(pid) {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
}

async function collect() {
  const child = spawn(process.execPath, [...NODE_FLAGS, path.join(ROOT, "bin/portwatch.mjs"), "collect", "--config", "/tmp/pw-bench-collect.json"], { cwd: ROOT, env });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let peakKb = 0;
  const sampler = setInterval(() => {
    const m = /VmHWM:\s+(\d+)/.exec(status(child.pid));
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  }, 100);
  const code = await new Promise((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  if (code !== 0 && code !== 3) throw new Error(`collect exited ${code}:\n${out}`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query(
    `SELECT id, status, calls, throttled, "failedCalls", "rowsWritten", "targetsTotal", "targetsFailed", extract(epoch FROM "finishedAt" - "startedAt") AS seconds
       FROM "CollectionRun" ORDER BY id DESC LIMIT 1`,
  );
  const counts = (await db.query(`SELECT (SELECT count(*) FROM "Image" WHERE "validTo" IS NULL)::int AS images, (SELECT count(*) FROM "Repository" WHERE "validTo" IS NULL)::int AS repositories`)).rows[0];
  await db.end();
  const failures = out.includes("What could not be read:") ? out.slice(out.indexOf("What could not be read:")).split("\n").slice(1).filter(Boolean) : [];
  return { code, run: rows[0], counts, peakMiB: peakKb / 1024, output: out, failures };
}

/** The busiest target's calls at the sandbox's per-operation rates (its burst is free). */
function lowerBound(m) {
  let worst = { seconds: 0, target: "", operation: "" };
  for (const [target, operations] of Object.entries(m.byTarget)) {
    if (!/^\d{12}\/[a-z0-9-]+$/.test(target)) continue;
    for (const [key, calls] of Object.entries(operations)) {
      if (key.startsWith("sts:")) continue;
      const rate = m.rates.operations[key] ?? m.rates.default;
      const seconds = Math.max(0, calls - rate.burst) / rate.perSecond;
      if (seconds > worst.seconds) worst = { seconds, target, operation: key, calls };
    }
  }
  return worst;
}

const diff = (after, before) => ({
  total: after.total - before.total,
  throttled: Object.values(after.throttled).reduce((a, b) => a + b, 0) - Object.values(before.throttled).reduce((a, b) => a + b, 0),
});

const m0 = await metrics();
const first = await collect();
const m1 = await metrics();
const bound = lowerBound(m1);
const second = await collect();
const m2 = await metrics();
sandbox.kill("SIGTERM");

const firstCalls = diff(m1, m0);
const secondCalls = diff(m2, m1);
const report = {
  concurrency: Number(values.concurrency),
  inventory: first.counts,
  first: {
    status: first.run.status,
    exitCode: first.code,
    wallSeconds: Number(first.run.seconds),
    awsCalls: firstCalls.total,
    throttled: firstCalls.throttled,
    failedForGood: first.run.failedCalls,
    targetsFailed: first.run.targetsFailed,
    rowsWritten: first.run.rowsWritten,
    peakRssMiB: Math.round(first.peakMiB),
    failures: first.failures,
  },
  lowerBound: { seconds: Number(bound.seconds.toFixed(2)), busiest: `${bound.target} ${bound.operation} x${bound.calls}` },
  ratio: Number((Number(first.run.seconds) / bound.seconds).toFixed(2)),
  unchanged: {
    status: second.run.status,
    wallSeconds: Number(second.run.seconds),
    awsCalls: secondCalls.total,
    throttled: secondCalls.throttled,
    rowsWritten: second.run.rowsWritten,
    peakRssMiB: Math.round(second.peakMiB),
    failures: second.failures,
  },
  speedup: Number((Number(first.run.seconds) / Number(second.run.seconds)).toFixed(2)),
};
console.log(JSON.stringify(report, null, 2));
await admin(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
