// Benchmark: evidence exports of the `scale` sandbox organisation (100 accounts x 4 regions,
// about 2,600 repositories): the document read from the database, then each format written,
// for the framework with the fewest controls (aws-fsbp) and the one with the most results
// (nist-800-53-r5). Time per step, the PDF's pages and size, and the process's peak RSS.
// Run by hand: node --expose-gc bench/evidence-scale.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test).
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });

const { createBenchDatabase } = await import("./bench-database.ts");
const { startCollectorWorker } = await import("../lib/collect/worker.ts");
const { disconnectDb } = await import("../lib/db/client.ts");
const { closePool } = await import("../lib/db/pool.ts");
const { sandboxOptions } = await import("../lib/sandbox/options.ts");
const { startSandbox } = await import("../lib/sandbox/server.ts");
const { configureSandboxAccounts, pointSdkAt, waitForRun } = await import("../test/collector.ts");
const { createCollectionRun } = await import("../lib/db/collection-runs.ts");
const { evaluateRun } = await import("../lib/db/evaluations.ts");
const { getEvidenceDocument } = await import("../lib/db/evidence-document.ts");
const { contentSha256 } = await import("../lib/evidence/content-digest.ts");
const { writeEvidenceFile } = await import("../lib/jobs/evidence-export.ts");

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const database = await createBenchDatabase("portwatch_bench_evidence");
const sandbox = await startSandbox(sandboxOptions("scale"));
pointSdkAt(sandbox);
await configureSandboxAccounts(sandbox);
const worker = await startCollectorWorker({ databaseUrl: database.url, concurrency: 96, heartbeatSeconds: 10, schedule: false, log: () => undefined });
const { runId } = await createCollectionRun({ trigger: "cli", scope: {}, actor: { id: null, email: "bench" } });
await worker.startRun(runId);
const run = await waitForRun(runId, 15 * 60_000);
await worker.stop();
await sandbox.close();
const evaluation = await evaluateRun(run.id, { reason: "bench", requestedBy: "bench", reuse: true });
console.log(`Collected and evaluated run #${run.id}: ${evaluation.resultCount} results; ${os.cpus().length} cores, Node ${process.version}.`);

// The collection above used hundreds of MB of its own: measure the exports from here.
globalThis.gc?.();
peak = process.memoryUsage().rss;
console.log(`RSS before the exports: ${Math.round(peak / 1048576)} MB${globalThis.gc ? " (after a GC)" : " (run with --expose-gc for a cleaner baseline)"}.`);
const dir = await mkdtemp(path.join(os.tmpdir(), "pw-evidence-bench-"));
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log("\n| framework | results | reading the document | PDF | pages | PDF size | CSV | OSCAL | peak RSS so far |\n|---|---|---|---|---|---|---|---|---|");
for (const framework of ["aws-fsbp", "nist-800-53-r5"]) {
  let t = performance.now();
  const doc = await getEvidenceDocument({ scope: { framework, accountIds: [], regions: [], runId: run.id }, generatedBy: { email: "bench@example.com", role: "auditor" } });
  const reading = performance.now() - t;
  const results = doc.controls.reduce((n, c) => n + c.results.length, 0);
  const digest = contentSha256(doc);
  t = performance.now();
  const pdf = await writeEvidenceFile(doc, "pdf", digest);
  const pdfMs = performance.now() - t;
  const file = path.join(dir, `${framework}.pdf`);
  await writeFile(file, pdf);
  const { stdout } = await promisify(execFile)("pdfinfo", [file]);
  const pages = /Pages:\s+(\d+)/.exec(stdout)?.[1];
  t = performance.now();
  await writeEvidenceFile(doc, "csv", digest);
  const csvMs = performance.now() - t;
  t = performance.now();
  await writeEvidenceFile(doc, "oscal", digest);
  const oscalMs = performance.now() - t;
  console.log(`| ${framework} | ${results} | ${seconds(reading)} | ${seconds(pdfMs)} | ${pages} | ${(pdf.length / 1048576).toFixed(1)} MB | ${seconds(csvMs)} | ${seconds(oscalMs)} | ${Math.round(peak / 1048576)} MB |`);
}
clearInterval(sampler);
await rm(dir, { recursive: true, force: true });
await closePool();
await disconnectDb();
await database.drop();
