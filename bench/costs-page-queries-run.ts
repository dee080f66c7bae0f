import os from "node:os";
import { disconnectDb } from "@/lib/db/client";
import { getCostCoverage, getCostView, getDailyByAccount, getDailyByUsageType, getDailySeries, getMonthlyByUsageType, listCostAccounts, listCostUsageTypes } from "@/lib/db/costs";
import { closePool, getPool } from "@/lib/db/pool";
import { createBenchDatabase } from "./bench-database";
// @ts-expect-error: a plain ES module shared with the HTTP benchmark.
import { loadCostYear } from "./costs-page-data.mjs";

const RUNS = 50;
const database = await createBenchDatabase("portwatch_bench_costs");
try {
  const client = await getPool().connect();
  const t = performance.now();
  const loaded = await loadCostYear((text: string, params?: unknown[]) => client.query(text, params));
  client.release();
  console.log(`Loaded ${loaded.dailyRows} daily account rows (${loaded.series} series x 365 days) and ${loaded.monthlyRows} monthly rows in ${((performance.now() - t) / 1000).toFixed(1)} s.`);
  console.log(`${os.cpus().length} cores, Node ${process.version}, ${(await getPool().query("SHOW server_version")).rows[0].server_version}, ${new Date().toISOString().slice(0, 10)}.\n`);

  async function time(name: string, work: () => Promise<unknown>) {
    for (let i = 0; i < 3; i++) await work();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await work();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${times[Math.floor(RUNS / 2)].toFixed(1)} ms | ${times[Math.floor(RUNS * 0.95)].toFixed(1)} ms |`);
  }

  const coverage = await getCostCoverage();
  const usageTypes = await listCostUsageTypes();
  const to = coverage.lastDay!;
  const back = (days: number) => new Date(Date.parse(to) - days * 86_400_000).toISOString().slice(0, 10);
  const account = (await listCostAccounts())[3].id;
  // Computed every time (cache: false): what the first request after a collection pays.
  const cold = { cache: false };
  console.log("| work (a year of 100 accounts), computed each time | p50 | p95 |\n|---|---|---|");
  await time("getCostView: 90 days, no filter (the default page)", () => getCostView(90, {}, cold));
  await time("getCostView: 30 days", () => getCostView(30, {}, cold));
  await time("getCostView: 365 days", () => getCostView(365, {}, cold));
  await time("getCostView: 90 days, one account", () => getCostView(90, { accounts: [account] }, cold));
  await time("getCostView: 90 days, one region", () => getCostView(90, { regions: ["eu-west-1"] }, cold));
  await time("getCostView: 365 days, one region", () => getCostView(365, { regions: ["eu-west-1"] }, cold));
  await time("getCostView: 90 days, from the view cache (same data version)", () => getCostView(90, {}));
  console.log("\nThe default page's reads one by one:\n\n| query | p50 | p95 |\n|---|---|---|");
  await time("coverage (first/last day and month)", () => getCostCoverage());
  await time("accounts with cost (loose index scan)", () => listCostAccounts());
  await time("daily by usage type, 90 days + last month", () => getDailyByUsageType(back(119), to, {}, usageTypes));
  await time("daily by account, top 8 + other, 90 days", () => getDailyByAccount(back(89), to, {}, usageTypes, 8));
  await time("daily series for anomalies, 90 + 28 days", () => getDailySeries(back(117), to, {}, usageTypes));
  await time("monthly by usage type, 13 months", () => getMonthlyByUsageType(`${back(400).slice(0, 7)}-01`, `${to.slice(0, 7)}-01`, {}, usageTypes));
  await time("daily series for anomalies, 365 + 28 days", () => getDailySeries(back(392), to, {}, usageTypes));
} finally {
  await closePool();
  await disconnectDb();
  await database.drop();
}
