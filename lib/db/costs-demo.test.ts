import { beforeAll, describe, expect, it } from "vitest";
import { categoryOf, dayRange, formatUnits, parseUsd } from "@/lib/cost/series";
import { allSeries, dayOf, seriesExpectation, seriesValue, type CostSeries } from "@/lib/sandbox/cost-model";
import { rngFor } from "@/lib/sandbox/rng";
import { collect, sql, type CollectedDemo, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { type CostView, getCostStatus, getCostView } from "./costs";
import { getPool } from "./pool";

// The sandbox's Cost Explorer, collected through the real SDK into a real PostgreSQL, then read
// back as the Costs page reads it: every chart's total is the sum of the stored rows, the two
// groupings AWS returns (by account, by region) agree, and the planted spikes are found.

const db = withTestDatabase();
const demo = withCollectedDemo(db);
let run: CollectedDemo["run"];
let view: CostView;
beforeAll(async () => {
  run = demo().run;
  view = await getCostView(90, {}, { now: new Date(), cache: false });
});

/** USD to the cent, as a string, from a numeric SQL sum. */
const cents = (text: string | null) => formatUnits(parseUsd(text ?? "0"), 2);
const usdCents = (usd: number) => usd.toFixed(2);

describe("the Costs page's figures on the collected sandbox organisation", () => {
  it("collected Cost Explorer and says so", async () => {
    expect(run.status).toBe("complete");
    const status = await getCostStatus();
    expect(status).toMatchObject({ configured: true, last: { runId: run.id, status: "done", error: null }, partialErrors: [], inProgress: null });
    expect(view.requests.requests).toBe(run.costExplorerRequests);
    expect(view.requests.usd).toBe(run.costExplorerRequests / 100);
  });

  it("the monthly chart's total per month is the sum of the monthly rows, by account and by region alike", async () => {
    const rows = await sql<{ month: string; dimension: string; amount: string }>(
      `SELECT to_char("month", 'YYYY-MM-DD') AS "month", "dimension", sum("amount")::text AS "amount" FROM "CostMonthly" GROUP BY 1, 2`,
    );
    const collected = view.monthly.points.filter((p) => p.total !== null);
    expect(collected.length).toBe(13);
    for (const point of collected) {
      for (const dimension of ["LINKED_ACCOUNT", "REGION"]) {
        expect(usdCents(point.total!), `${point.period} ${dimension}`).toBe(cents(rows.find((r) => r.month === point.period && r.dimension === dimension)?.amount ?? null));
      }
    }
  });

  it("the daily chart by category is the sum of the daily rows, per day and per category", async () => {
    const rows = await sql<{ day: string; usageType: string; amount: string }>(
      `SELECT to_char("date", 'YYYY-MM-DD') AS "day", "usageType", sum("amount")::text AS "amount" FROM "CostDaily"
        WHERE "dimension" = 'LINKED_ACCOUNT' AND "date" BETWEEN $1::date AND $2::date GROUP BY 1, 2`,
      [view.range.from, view.range.to],
    );
    const expected = new Map<string, bigint>();
    for (const r of rows) {
      for (const key of [`${r.day}/total`, `${r.day}/${categoryOf(r.usageType)}`, "all"]) expected.set(key, (expected.get(key) ?? 0n) + parseUsd(r.amount));
    }
    const points = view.daily.byCategory.points.filter((p) => p.total !== null);
    expect(points.length).toBe(new Set(rows.map((r) => r.day)).size);
    for (const p of points) {
      expect(usdCents(p.total!), p.period).toBe(formatUnits(expected.get(`${p.period}/total`) ?? 0n, 2));
      for (const k of view.daily.byCategory.keys) expect(usdCents(p.values[k.id]), `${p.period} ${k.id}`).toBe(formatUnits(expected.get(`${p.period}/${k.id}`) ?? 0n, 2));
    }
    expect(view.daily.byCategory.exactTotal).toBe(formatUnits(expected.get("all")!));
  });

  it("by account and by region hold the same money, and each region is what Cost Explorer's REGION grouping says", async () => {
    const { byAccount, byRegion, byCategory } = view.daily;
    expect(byAccount.exactTotal).toBe(byCategory.exactTotal);
    expect(byRegion.exactTotal).toBe(byCategory.exactTotal);
    const regions = await sql<{ key: string; amount: string }>(
      `SELECT "key", sum("amount")::text AS "amount" FROM "CostDaily" WHERE "dimension" = 'REGION' AND "date" BETWEEN $1::date AND $2::date GROUP BY 1`,
      [view.range.from, view.range.to],
    );
    expect(byRegion.keys.map((k) => k.id).sort()).toEqual(regions.map((r) => r.key).sort());
    for (const r of regions) expect(byRegion.exactTotals[r.key], r.key).toBe(formatUnits(parseUsd(r.amount)));
    const accounts = await sql<{ key: string; amount: string }>(
      `SELECT "key", sum("amount")::text AS "amount" FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT' AND "date" BETWEEN $1::date AND $2::date GROUP BY 1`,
      [view.range.from, view.range.to],
    );
    for (const a of accounts) expect(byAccount.exactTotals[a.key], a.key).toBe(formatUnits(parseUsd(a.amount)));
  });

  it("a filtered view is the filtered rows: one region, one account", async () => {
    const region = demo().sandbox.organization.options.regions[1];
    const [{ amount: regionAmount }] = await sql<{ amount: string }>(
      `SELECT sum("amount")::text AS "amount" FROM "CostDaily" WHERE "dimension" = 'REGION' AND "key" = $1 AND "date" BETWEEN $2::date AND $3::date`,
      [region, view.range.from, view.range.to],
    );
    expect((await getCostView(90, { regions: [region] }, { cache: false })).daily.byCategory.exactTotal).toBe(formatUnits(parseUsd(regionAmount)));
    const account = view.daily.byAccount.keys[0].id;
    const [{ amount: accountAmount }] = await sql<{ amount: string }>(
      `SELECT sum("amount")::text AS "amount" FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT' AND "key" = $1 AND "date" BETWEEN $2::date AND $3::date`,
      [account, view.range.from, view.range.to],
    );
    expect((await getCostView(90, { accounts: [account] }, { cache: false })).daily.byRegion.exactTotal).toBe(formatUnits(parseUsd(accountAmount)));
  });

  it("forecasts the month's end from what was billed and Cost Explorer's forecast of the rest", async () => {
    const forecast = view.forecast!;
    expect(forecast).not.toBeNull();
    const [{ mean }] = await sql<{ mean: string }>(`SELECT "mean"::text AS "mean" FROM "CostForecast" WHERE "runId" = $1 ORDER BY "startDate" LIMIT 1`, [run.id]);
    expect(usdCents(forecast.total.mean)).toBe(usdCents(forecast.actual + Number(mean)));
    expect(forecast.total.lower!).toBeLessThanOrEqual(forecast.total.mean);
    expect(forecast.total.upper!).toBeGreaterThanOrEqual(forecast.total.mean);
    expect(forecast.nextMonth).not.toBeNull();
    expect(view.monthToDate === null || forecast.actual === view.monthToDate.amount).toBe(true);
  });

  it("flags the days the sandbox planted spikes on, and no ordinary day", () => {
    const org = demo().sandbox.organization;
    const series = new Map(allSeries(org).map((s) => [`${s.accountId}/${s.usageType}`, s]));
    // The sandbox draws, per (series, day), its log-normal noise (a standard normal z) and then
    // whether the day spikes, in that order (cost-model.ts seriesValue): the test replays the draws.
    const draws = (s: CostSeries, day: number) => {
      if (s.kind === "storage") return { z: 0, spiked: false };
      const rng = rngFor(org.options.seed, "cost-explorer-day", s.accountId, s.region, s.usageType, day);
      const z = rng.normal();
      return { z, spiked: rng.chance(0.02) };
    };
    const spiked = (s: CostSeries, day: number) => draws(s, day).spiked;
    expect(view.anomalies.length).toBeGreaterThan(0);
    let planted = 0;
    for (const a of view.anomalies) {
      const s = series.get(`${a.account}/${a.usageType}`)!;
      const day = dayOf(new Date(`${a.date}T00:00:00Z`));
      const { z, spiked: isSpike } = draws(s, day);
      // A planted spike, or a day whose own noise put it at least 2 standard deviations high (about
      // twice its expected cost): far above trend either way, never an ordinary day.
      expect(isSpike || z >= 2, `${a.date} ${a.account} ${a.usageType} (z ${z.toFixed(2)})`).toBe(true);
      if (isSpike) planted++;
      expect(a.amount).toBeCloseTo(seriesValue(org, s, day).cost, 4);
    }
    expect(planted).toBeGreaterThan(0);
    // Recall: every spike that made a series cost 3.5 times its weekday level and USD 1 more, on a
    // day with four weeks of history before it, is found. (The weekday level: a weekend spike of a
    // few times the quiet weekend is an ordinary weekday's cost, and rightly not an anomaly.)
    const judged = dayRange(view.range.from, view.range.to).slice(28);
    const big: string[] = [];
    for (const s of series.values()) {
      for (const date of judged) {
        const day = dayOf(new Date(`${date}T00:00:00Z`));
        if (!spiked(s, day) || day < s.firstDay + 28) continue;
        const cost = seriesValue(org, s, day).cost;
        const level = Math.max(...[-3, -2, -1, 0, 1, 2, 3].map((d) => seriesExpectation(org, s, day + d).mean));
        if (cost >= 3.5 * level && cost - level >= 1) big.push(`${date} ${s.accountId} ${s.usageType}`);
      }
    }
    expect(big.length).toBeGreaterThan(0);
    const found = new Set(view.anomalies.map((a) => `${a.date} ${a.account} ${a.usageType}`));
    expect(big.filter((b) => !found.has(b))).toEqual([]);
    // Each anomalous day is marked on the daily chart.
    expect(view.anomalousDays.map((d) => d.date).sort()).toEqual([...new Set(view.anomalies.map((a) => a.date))].sort());
  });

  it("shows a failed read as the error, naming the operation and the account, and keeps the earlier figures", async () => {
    const org = demo().sandbox.organization;
    await getPool().query(`UPDATE "Setting" SET "value" = jsonb_set("value", '{roleArn}', to_jsonb($1::text)) WHERE "key" = 'costExplorer'`, [
      `arn:aws:iam::${org.managementAccountId}:role/NoSuchCostReader`,
    ]);
    const failed = await collect(demo().worker);
    expect(failed.targetsFailed).toBeGreaterThan(0);
    const status = await getCostStatus();
    expect(status.last).toMatchObject({ runId: failed.id, status: "failed", accountId: org.managementAccountId });
    expect(status.last!.error!.operation).toMatch(/AssumeRole/);
    expect(status.last!.error!.errorName).toBeTruthy();
    // The stored rows are untouched: the page still shows them, up to their last day.
    const after = await getCostView(90, {}, { cache: false });
    expect(after.daily.byCategory.exactTotal).toBe(view.daily.byCategory.exactTotal);
  });
});
