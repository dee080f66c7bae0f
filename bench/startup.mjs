// Benchmark: how long `portwatch demo` takes from launch to a healthy web app on a cold and on a
// warm embedded database, what a password sign-in costs (argon2id), and the resident memory of
// the web server and of the PostgreSQL postmaster (its backends are not counted) once idle. Run by hand: node bench/startup.mjs
// Results go in bench/RESULTS.md with the machine and the date.
import { spawn, execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function start(env, port) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "bin/portwatch.mjs"), "demo", "--port", String(port)], { cwd: ROOT, env });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Press Ctrl-C to stop")) resolve({ child, ms: performance.now() - t0, out });
    });
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => reject(new Error(`demo exited ${code}: ${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", resolve);
    child.kill("SIGINT");
  });
}

function rssMiB(pattern) {
  const lines = execFileSync("ps", ["-eo", "rss,args"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(pattern) && !l.includes("ps -eo"));
  return lines.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0) / 1024;
}

async function signInMs(baseURL, password, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const csrfRes = await fetch(`${baseURL}/api/auth/csrf`);
    const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { csrfToken } = await csrfRes.json();
    const t0 = performance.now();
    const res = await fetch(`${baseURL}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, email: "admin@portwatch.local", password }),
    });
    times.push(performance.now() - t0);
    if (res.status !== 302 || (res.headers.get("location") ?? "").includes("error")) throw new Error(`sign-in failed: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)], p90: times[Math.floor(n * 0.9)] };
}

const dataDir = await mkdtemp(path.join(ROOT, ".portwatch", "bench-"));
const { DATABASE_URL: _a, PORTWATCH_ADMIN_PASSWORD: _b, ...base } = process.env;
const env = { ...base, PORTWATCH_DATA_DIR: dataDir, PORTWATCH_PG_PORT: String(await freePort()) };
const port = await freePort();
try {
  const cold = await start(env, port);
  const password = /Password: (\S+)/.exec(cold.out)[1];
  await stop(cold.child);
  const warm = await start(env, port);
  const signIn = await signInMs(`http://localhost:${port}`, password, 20);
  await new Promise((r) => setTimeout(r, 2000));
  const web = rssMiB("cli/web-server.mjs");
  const db = rssMiB(dataDir);
  await stop(warm.child);
  console.log(JSON.stringify({
    coldStartMs: Math.round(cold.ms),
    warmStartMs: Math.round(warm.ms),
    signInMedianMs: Math.round(signIn.median),
    signInP90Ms: Math.round(signIn.p90),
    webServerRssMiB: Math.round(web),
    postmasterRssMiB: Math.round(db),
  }, null, 2));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
