import os from "node:os";
import { startCollectorWorker } from "@/lib/collect/worker";
import { disconnectDb } from "@/lib/db/client";
import { getControlCounts, getCurrentEvaluation, getMatrix, listResults } from "@/lib/db/compliance-results";
import { evaluateRun } from "@/lib/db/evaluations";
import { closePool } from "@/lib/db/pool";
import { sandboxOptions } from "@/lib/sandbox/options";
import { startSandbox } from "@/lib/sandbox/server";
import { collect, configureSandboxAccounts, pointSdkAt } from "@/test/collector";
import { createBenchDatabase } from "./bench-database";

const database = await createBenchDatabase("portwatch_bench_evaluate");
const sandbox = await startSandbox(sandboxOptions("scale"));
pointSdkAt(sandbox);
await configureSandboxAccounts(sandbox);
const worker = await startCollectorWorker({ databaseUrl: database.url, concurrency: 96, heartbeatSeconds: 10, schedule: false, log: () => undefined });
const started = performance.now();
const run = await collect(worker);
console.log(`Collected run #${run.id} (${run.status}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}.`);
await worker.stop();
await sandbox.close();

console.log("\n| evaluation | results | decide | results/s (decide) | waiting for reads | savings (decide + store) | whole evaluation | results/s (whole) |\n|---|---|---|---|---|---|---|---|");
for (let i = 1; i <= 3; i++) {
  const s = await evaluateRun(run.id, { reason: "bench", requestedBy: "bench" });
  console.log(`| #${i} | ${s.resultCount} | ${s.evaluateMs.toFixed(0)} ms | ${Math.round(s.resultCount / (s.evaluateMs / 1000)).toLocaleString("en")} | ${(s.readWaitMs / 1000).toFixed(2)} s | ${(s.savingsMs / 1000).toFixed(2)} s | ${(s.totalMs / 1000).toFixed(2)} s | ${Math.round(s.resultCount / (s.totalMs / 1000)).toLocaleString("en")} |`);
}

async function timings(work: () => Promise<unknown>): Promise<string> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `${times[25].toFixed(1)} ms | ${times[47].toFixed(1)} ms`;
}

const evaluation = (await getCurrentEvaluation())!;
const [someFail] = await listResults(evaluation.id, { framework: "aws-fsbp", control: "ECR.1", status: ["FAIL"] }, { limit: 1 });
console.log("\n| page query (scale profile) | p50 | p95 |\n|---|---|---|");
console.log(`| /compliance: counts per control, every framework | ${await timings(() => getControlCounts(evaluation.id))} |`);
console.log(`| matrix: aws-fsbp by account | ${await timings(() => getMatrix(evaluation.id, "aws-fsbp"))} |`);
console.log(`| matrix: nist-800-53-r5 by account and region | ${await timings(() => getMatrix(evaluation.id, "nist-800-53-r5", {}, true))} |`);
console.log(`| control: ECR.1 first page of 50 | ${await timings(() => listResults(evaluation.id, { framework: "aws-fsbp", control: "ECR.1" }, { limit: 50 }))} |`);
console.log(`| control: ECR.1 FAIL in one account | ${await timings(() => listResults(evaluation.id, { framework: "aws-fsbp", control: "ECR.1", status: ["FAIL"], accountId: someFail.accountId! }, { limit: 50 }))} |`);
console.log(`| control: ECR.1 counts | ${await timings(() => getControlCounts(evaluation.id, { framework: "aws-fsbp", control: "ECR.1" }))} |`);

await closePool();
await disconnectDb();
await database.drop();
