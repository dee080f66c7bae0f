// Benchmark: the cost pages at the `scale` sandbox organisation (100 accounts x 4 regions, about
// 2,600 repositories and 61,000 images).
// 1. collects the scale organisation into a fresh database (timed, but see bench/collect.mjs);
// 2. computeRunSavings 3 times (read the snapshot, simulate lifecycle policies per repository,
//    store the rows): its parts and the whole;
// 3. the queries behind /costs/repositories, /costs/savings and the repository page's cost
//    section, 50 times each after a warm-up (p50, p95).
// Run by hand: node bench/savings.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test).
import os from "node:os";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });

const { createBenchDatabase } = await import("./bench-database.ts");
const { startCollectorWorker } = await import("../lib/collect/worker.ts");
const { disconnectDb } = await import("../lib/db/client.ts");
const { closePool, getPool } = await import("../lib/db/pool.ts");
const { sandboxOptions } = await import("../lib/sandbox/options.ts");
const { startSandbox } = await import("../lib/sandbox/server.ts");
const { configureSandboxAccounts, pointSdkAt, waitForRun } = await import("../test/collector.ts");
const { createCollectionRun } = await import("../lib/db/collection-runs.ts");
const costs = await import("../lib/db/repository-costs.ts");
const savings = await import("../lib/db/savings.ts");

const database = await createBenchDatabase("portwatch_bench_savings");
const sandbox = await startSandbox(sandboxOptions("scale"));
pointSdkAt(sandbox);
await configureSandboxAccounts(sandbox);
const worker = await startCollectorWorker({ databaseUrl: database.url, concurrency: 96, heartbeatSeconds: 10, schedule: false, log: () => undefined });
const started = performance.now();
// collect() as the tests use it, with room for a machine busy with other work.
const { runId: collectedRunId } = await createCollectionRun({ trigger: "cli", scope: {}, actor: { id: null, email: "bench" } });
await worker.startRun(collectedRunId);
const run = await waitForRun(collectedRunId, 15 * 60_000);
await worker.stop();
await sandbox.close();
const [size] = (
  await getPool().query(
    `SELECT count(*)::int AS "repositories", sum("imageCount")::int AS "images", sum("imageBytes")::text AS "imageBytes", sum("storedBytes")::text AS "storedBytes",
            count(*) FILTER (WHERE "storedBytesExact")::int AS "exact"
       FROM "Repository" WHERE "validTo" IS NULL AND "deletedAt" IS NULL`,
  )
).rows;
console.log(`Collected run #${run.id} (${run.status}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ${os.cpus().length} cores, Node ${process.version}.`);
console.log(
  `${size.repositories} repositories, ${size.images} images; stored ${(Number(size.storedBytes) / 1024 ** 4).toFixed(2)} TiB of ${(Number(size.imageBytes) / 1024 ** 4).toFixed(2)} TiB summed image sizes; ${size.exact} exact.`,
);

console.log("\n| computeRunSavings | registries | rows | waiting for reads | deciding | whole |\n|---|---|---|---|---|---|");
let summary;
for (let i = 1; i <= 3; i++) {
  summary = await savings.computeRunSavings(run.id);
  console.log(`| #${i} | ${summary.registries} | ${summary.rows} | ${(summary.readWaitMs / 1000).toFixed(2)} s | ${(summary.computeMs / 1000).toFixed(2)} s | ${(summary.totalMs / 1000).toFixed(2)} s |`);
}
console.log(`Total: $${summary.totalMonthlyUsd.toFixed(2)} a month.`);

async function timings(work) {
  await work();
  const times = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return `${times[25].toFixed(1)} ms | ${times[47].toFixed(1)} ms`;
}

const runId = run.id;
const [one] = (await costs.listRepositoryCosts({ runId, limit: 1 })).rows;
const tenthAfter = async (sort) => {
  let after;
  for (let i = 0; i < 9; i++) {
    const page = await costs.listRepositoryCosts({ runId, sort, after, limit: 50 });
    after = costs.parseRepositoryCostParams({ sort, after: page.next }).after;
  }
  return after;
};
const tenth = await tenthAfter("allocated");
console.log("\n| query (scale profile) | p50 | p95 |\n|---|---|---|");
console.log(`| storage cost per account-region (Cost Explorer rows, 30 days) | ${await timings(() => costs.getStorageCosts())} |`);
for (const sort of costs.REPOSITORY_COST_SORTS) console.log(`| repository costs: first page of 50 by ${sort} (cost read included) | ${await timings(() => costs.listRepositoryCosts({ runId, sort, limit: 50 }))} |`);
console.log(`| repository costs: 10th page by allocated | ${await timings(() => costs.listRepositoryCosts({ runId, after: tenth, limit: 50 }))} |`);
console.log(`| repository costs: one account, name prefix, at least $0.01 | ${await timings(() => costs.listRepositoryCosts({ runId, filter: { accountId: one.accountId, namePrefix: one.name.slice(0, 3), minUsd: 0.01 }, limit: 50 }))} |`);
console.log(`| repository costs: total row | ${await timings(() => costs.getRepositoryCostTotals({ runId }))} |`);
console.log(`| repository page: one repository's cost | ${await timings(() => costs.getRepositoryCost({ runId, arn: one.arn, accountId: one.accountId, region: one.region }))} |`);
console.log(`| savings: first page of 50 | ${await timings(() => savings.listSavings({ runId, limit: 50 }))} |`);
console.log(`| savings: totals by action | ${await timings(() => savings.getSavingsTotals({ runId }))} |`);
console.log(`| savings: one action, one account | ${await timings(() => savings.listSavings({ runId, filter: { kind: "stale-images", accountId: one.accountId }, limit: 50 }))} |`);

await closePool();
await disconnectDb();
await database.drop();
