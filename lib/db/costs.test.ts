import { beforeAll, describe, expect, it } from "vitest";
import type { CostRow } from "@/lib/aws/types";
import { addDays, categoryOf, dayRange, formatUnits, parseUsd } from "@/lib/cost/series";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import { writeCostCollection } from "./cost-writer";
import { getCostCoverage, getCostExplorerRequests, getCostStatus, getCostView, getDailyByAccount, getDailyByUsageType, getDailySeries, listCostAccounts, listCostUsageTypes } from "./costs";
import { getPool } from "./pool";

// The Costs page's reads on a small, hand-made cost table written by the collector's own writer:
// three accounts, five usage types (one without a region code), Sept 1 to Nov 27, one planted spike.

withTestDatabase();

const NOW = new Date("2026-11-28T09:30:00Z");
const A = "111111111111";
const B = "222222222222";
const C = "333333333333";
const USAGE_TYPES = ["USE1-TimedStorage-ByteHrs", "TimedStorage-ByteHrs", "EU-DataTransfer-Out-Bytes", "USE1-EU-AWS-Out-Bytes", "EU-DataTransfer-Regional-Bytes"];
const DAYS = dayRange("2026-09-01", "2026-11-27");
const SPIKE = { day: "2026-11-20", account: B, usageType: "EU-DataTransfer-Out-Bytes" };

/** USD a day: ten decimal places, so a floating-point sum would drift; weekday-shaped transfer. */
function amount(account: string, usageType: string, day: string): string {
  const a = { [A]: 3, [B]: 2, [C]: 1 }[account]!;
  const u = USAGE_TYPES.indexOf(usageType) + 1;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const shape = usageType.includes("Storage") ? 1 : weekday === 0 || weekday === 6 ? 0.6 : 1.1 + (Number(day.slice(8)) % 5) / 20;
  const spike = day === SPIKE.day && account === SPIKE.account && usageType === SPIKE.usageType ? 6 : 1;
  return (a * u * shape * spike + 0.0123456789).toFixed(10);
}

const daily: CostRow[] = [];
for (const day of DAYS)
  for (const account of [A, B, C])
    for (const usageType of USAGE_TYPES) {
      daily.push({ date: day, dimension: "LINKED_ACCOUNT", key: account, usageType, amount: amount(account, usageType, day), amountUnit: "USD", quantity: "1", quantityUnit: "GB", estimated: day >= "2026-11-26" });
    }
const sum = (rows: CostRow[]) => rows.reduce((s, r) => s + parseUsd(r.amount), 0n);
const monthly: CostRow[] = [];
for (const month of ["2026-09-01", "2026-10-01", "2026-11-01"])
  for (const account of [A, B, C])
    for (const usageType of USAGE_TYPES) {
      const rows = daily.filter((r) => r.key === account && r.usageType === usageType && r.date.startsWith(month.slice(0, 7)));
      monthly.push({ ...rows[0], date: month, amount: formatUnits(sum(rows), 10), estimated: month === "2026-11-01" });
    }

async function finishedCostTarget(runId: number, status: "done" | "failed", createdAt: Date, extra: { errorName?: string; errorOperation?: string; error?: string; requests?: number } = {}) {
  const db = getDb();
  await db.collectionRun.create({ data: { id: runId, status: status === "done" ? "complete" : "failed", trigger: "cli", requestedBy: "test", createdAt, costExplorerRequests: extra.requests ?? 0 } });
  return db.collectionTarget.create({
    data: { runId, kind: "cost", accountId: "999999999999", region: "global", status, finishedAt: createdAt, errorName: extra.errorName, errorOperation: extra.errorOperation, error: extra.error },
  });
}

beforeAll(async () => {
  await getDb().awsAccount.create({ data: { id: A, name: "prod-core", roleArn: `arn:aws:iam::${A}:role/PortwatchReadOnly`, regions: ["us-east-1"], source: "config" } });
  // Last month's run read nothing (requests count for last month only); this month's read 40.
  await finishedCostTarget(1, "done", new Date("2026-10-30T06:00:00Z"), { requests: 25 });
  await finishedCostTarget(2, "done", new Date("2026-11-28T06:00:00Z"), { requests: 40 });
  await writeCostCollection(2, {
    daily,
    monthly,
    forecasts: [
      { start: "2026-11-28", end: "2026-12-01", mean: "12.5", lower: "10", upper: "15", unit: "USD" },
      { start: "2026-12-01", end: "2027-01-01", mean: "160", lower: "140", upper: "180", unit: "USD" },
    ],
    usageTypes: USAGE_TYPES,
  });
});

const cents = (units: bigint) => Number(formatUnits(units, 2));
const inRange = (from: string, to: string, keep: (r: CostRow) => boolean = () => true) => daily.filter((r) => r.date >= from && r.date <= to && keep(r));

describe("getCostView", () => {
  it("charts the range's cost exactly: per day, per category, per account and per region, each summing to the stored rows", async () => {
    const view = await getCostView(30, {}, { now: NOW, cache: false });
    expect(view.range).toEqual({ from: "2026-10-29", to: "2026-11-27", days: 30 });
    const rows = inRange("2026-10-29", "2026-11-27");
    const total = sum(rows);
    for (const stacked of [view.daily.byCategory, view.daily.byAccount, view.daily.byRegion]) {
      expect(stacked.exactTotal).toBe(formatUnits(total));
      expect(stacked.total).toBeCloseTo(cents(total), 2);
    }
    // One day, by category: each category is the sum of its usage types' rows.
    const day = view.daily.byCategory.points.find((p) => p.period === "2026-11-02")!;
    for (const category of ["storage", "internet-out", "inter-region", "other"] as const) {
      expect(day.values[category]).toBeCloseTo(cents(sum(inRange("2026-11-02", "2026-11-02", (r) => categoryOf(r.usageType) === category))), 2);
    }
    // Regions from billing codes; the usage type without a code is us-east-1's.
    expect(view.daily.byRegion.totals["us-east-1"]).toBeCloseTo(cents(sum(rows.filter((r) => !r.usageType.startsWith("EU-")))), 2);
    expect(view.daily.byRegion.totals["eu-west-1"]).toBeCloseTo(cents(sum(rows.filter((r) => r.usageType.startsWith("EU-")))), 2);
    // Accounts: named where Portwatch knows them, largest first.
    expect(view.daily.byAccount.keys.map((k) => k.label)).toEqual([`prod-core (${A})`, B, C]);
    // The last two days are estimated, as Cost Explorer marked them.
    expect(view.daily.byCategory.points.filter((p) => p.estimated).map((p) => p.period)).toEqual(["2026-11-26", "2026-11-27"]);
  });

  it("charts 13 months with the months before the first stored one as gaps, never $0", async () => {
    const view = await getCostView(90, {}, { now: NOW, cache: false });
    expect(view.monthly.points.map((p) => p.period)).toEqual(dayRange("2025-11-01", "2026-11-30").filter((d) => d.endsWith("-01")));
    expect(view.monthly.points.slice(0, 10).every((p) => p.total === null)).toBe(true);
    for (const month of ["2026-09", "2026-10", "2026-11"]) {
      const point = view.monthly.points.find((p) => p.period === `${month}-01`)!;
      expect(point.total).toBeCloseTo(cents(sum(monthly.filter((r) => r.date.startsWith(month)))), 2);
    }
    // 90 days back from Nov 27 reach Aug 30: the two days before the first stored one are gaps too.
    expect(view.daily.byCategory.points.slice(0, 3).map((p) => p.total === null)).toEqual([true, true, false]);
  });

  it("gives the headline figures: month to date and its change, the last full month, the forecast and the Cost Explorer requests", async () => {
    const view = await getCostView(30, {}, { now: NOW, cache: false });
    const toDate = sum(inRange("2026-11-01", "2026-11-27"));
    expect(view.monthToDate).toMatchObject({ from: "2026-11-01", to: "2026-11-27", estimated: true });
    expect(view.monthToDate!.amount).toBeCloseTo(cents(toDate), 2);
    expect(view.change.toDate!.previous).toBeCloseTo(cents(sum(inRange("2026-10-01", "2026-10-27"))), 2);
    expect(view.lastFullMonth!.amount).toBeCloseTo(cents(sum(inRange("2026-10-01", "2026-10-31"))), 2);
    expect(view.change.lastFullMonth!.previous).toBeCloseTo(cents(sum(inRange("2026-09-01", "2026-09-30"))), 2);
    expect(view.forecast!.total.mean).toBeCloseTo(cents(toDate) + 12.5, 2);
    expect(view.forecast!.total.lower).toBeCloseTo(cents(toDate) + 10, 2);
    expect(view.forecast!.nextMonth).toEqual({ month: "2026-12-01", mean: 160, lower: 140, upper: 180 });
    expect(view.requests).toEqual({ since: "2026-11-01", requests: 40, usd: 0.4 });
  });

  it("finds the planted spike, says what drove it, and nothing else", async () => {
    const view = await getCostView(30, {}, { now: NOW, cache: false });
    expect(view.anomalies.map((a) => [a.date, a.account, a.usageType, a.category, a.region])).toEqual([[SPIKE.day, B, SPIKE.usageType, "internet-out", "eu-west-1"]]);
    const [a] = view.anomalies;
    expect(a.amount).toBeCloseTo(Number(amount(B, SPIKE.usageType, SPIKE.day)), 4);
    expect(a.expected).toBeLessThan(a.amount / 4);
    expect(view.anomalousDays.map((d) => d.date)).toEqual([SPIKE.day]);
  });

  it("filters by account, region and category; the forecast (all of ECR) is left out of a filtered view", async () => {
    const region = await getCostView(30, { regions: ["eu-west-1"] }, { now: NOW, cache: false });
    expect(region.daily.byCategory.exactTotal).toBe(formatUnits(sum(inRange("2026-10-29", "2026-11-27", (r) => r.usageType.startsWith("EU-")))));
    expect(region.daily.byRegion.keys.map((k) => k.id)).toEqual(["eu-west-1"]);
    expect(region.forecast).toBeNull();
    expect(region.filtered).toBe(true);
    const account = await getCostView(30, { accounts: [C], regions: ["us-east-1"] }, { now: NOW, cache: false });
    expect(account.daily.byAccount.exactTotal).toBe(formatUnits(sum(inRange("2026-10-29", "2026-11-27", (r) => r.key === C && !r.usageType.startsWith("EU-")))));
    expect(account.anomalies).toEqual([]);
    const usageTypes = await listCostUsageTypes();
    const storage = await getDailyByUsageType("2026-11-01", "2026-11-01", { categories: ["storage"] }, usageTypes);
    expect(storage.map((r) => r.usageType).sort()).toEqual(["TimedStorage-ByteHrs", "USE1-TimedStorage-ByteHrs"]);
  });

  it("serves a view already computed for the same stored data, and recomputes once a new read finishes", async () => {
    const first = await getCostView(90, {}, { now: NOW });
    const again = await getCostView(90, {}, { now: NOW });
    expect(again.daily).toBe(first.daily);
    await finishedCostTarget(3, "done", new Date("2026-11-28T08:00:00Z"), { requests: 2 });
    const after = await getCostView(90, {}, { now: NOW });
    expect(after.daily).not.toBe(first.daily);
    expect(after.requests.requests).toBe(42);
    await getDb().collectionRun.delete({ where: { id: 3 } });
  });
});

describe("the reads", () => {
  it("folds all but the top accounts into one row per day, and counts the accounts", async () => {
    const { rows, accounts } = await getDailyByAccount("2026-11-01", "2026-11-02", {}, [], 1);
    expect(accounts).toBe(3);
    expect(rows.map((r) => `${r.period} ${r.account}`).sort()).toEqual([`2026-11-01 ${A}`, "2026-11-01 null", `2026-11-02 ${A}`, "2026-11-02 null"]);
    const other = rows.find((r) => r.period === "2026-11-01" && r.account === null)!;
    expect(parseUsd(other.amount)).toBe(sum(inRange("2026-11-01", "2026-11-01", (r) => r.key !== A)));
  });

  it("reads each (account, usage type) series as day offsets and amounts, with the estimated days", async () => {
    const series = await getDailySeries("2026-11-20", "2026-11-27", { accounts: [B] }, []);
    expect(series).toHaveLength(USAGE_TYPES.length);
    const spiky = series.find((s) => s.usageType === SPIKE.usageType)!;
    expect([...spiky.offsets].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(spiky.amounts[spiky.offsets.indexOf(0)]).toBeCloseTo(Number(amount(B, SPIKE.usageType, SPIKE.day)), 6);
    expect([...spiky.estimated].sort()).toEqual([6, 7]);
  });

  it("gives the stored bounds and a version that changes with every finished read", async () => {
    const coverage = await getCostCoverage();
    expect(coverage).toMatchObject({ firstDay: "2026-09-01", lastDay: "2026-11-27", firstMonth: "2026-09-01", lastMonth: "2026-11-01" });
    expect(coverage.version).toMatch(/^\d+\//);
  });

  it("lists the accounts with cost, named where known, and the usage types", async () => {
    expect(await listCostAccounts()).toEqual([
      { id: A, name: "prod-core" },
      { id: B, name: null },
      { id: C, name: null },
    ]);
    expect(await listCostUsageTypes()).toEqual([...USAGE_TYPES].sort());
  });

  it("counts the Cost Explorer requests of the runs created since a day, at USD 0.01 each", async () => {
    expect(await getCostExplorerRequests("2026-10-01")).toEqual({ since: "2026-10-01", requests: 65, usd: 0.65 });
    expect(await getCostExplorerRequests("2026-12-01")).toEqual({ since: "2026-12-01", requests: 0, usd: 0 });
  });
});

describe("getCostStatus", () => {
  const setRole = (roleArn: string | null) =>
    getPool().query(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('costExplorer', $1::jsonb, now()) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`, [
      JSON.stringify(roleArn ? { roleArn, lookbackDays: 90 } : null),
    ]);

  it("says whether the role is configured and which read was last", async () => {
    await setRole(null);
    expect(await getCostStatus()).toMatchObject({ configured: false, roleArn: null, last: { runId: 2, status: "done", error: null }, partialErrors: [], inProgress: null });
    await setRole("arn:aws:iam::999999999999:role/PortwatchCostReader");
    expect(await getCostStatus()).toMatchObject({ configured: true, roleArn: "arn:aws:iam::999999999999:role/PortwatchCostReader" });
  });

  it("names the operation and account of a failed read, and of what failed inside a read that finished", async () => {
    const target = await finishedCostTarget(10, "done", new Date("2026-11-28T09:00:00Z"));
    await getPool().query(
      `INSERT INTO "CollectionError" ("runId", "targetId", "accountId", "region", "service", "operation", "errorName", "kind", "message")
       VALUES (10, $1, '999999999999', 'global', 'ce', 'GetCostForecast', 'AccessDeniedException', 'denied', 'not authorized to perform ce:GetCostForecast')`,
      [target.id],
    );
    expect((await getCostStatus()).partialErrors).toEqual([
      { accountId: "999999999999", region: "global", operation: "ce:GetCostForecast", errorName: "AccessDeniedException", message: "not authorized to perform ce:GetCostForecast" },
    ]);
    await finishedCostTarget(11, "failed", new Date("2026-11-28T09:10:00Z"), { errorName: "AccessDenied", errorOperation: "sts:AssumeRole", error: "not authorized to perform sts:AssumeRole" });
    const status = await getCostStatus();
    expect(status.last).toMatchObject({
      runId: 11,
      status: "failed",
      error: { accountId: "999999999999", region: "global", operation: "sts:AssumeRole", errorName: "AccessDenied", message: "not authorized to perform sts:AssumeRole" },
    });
    expect(status.partialErrors).toEqual([]);
    // The rows of the earlier reads are still there to show, as of their last day.
    expect((await getCostCoverage()).lastDay).toBe("2026-11-27");
  });

  it("says when a newer read is queued or running", async () => {
    const db = getDb();
    await db.collectionRun.create({ data: { id: 12, status: "running", trigger: "schedule", requestedBy: "schedule" } });
    await db.collectionTarget.create({ data: { runId: 12, kind: "cost", accountId: "999999999999", region: "global", status: "running" } });
    expect((await getCostStatus()).inProgress).toEqual({ runId: 12 });
    await db.collectionRun.deleteMany({ where: { id: { in: [10, 11, 12] } } });
    expect((await getCostStatus()).inProgress).toBeNull();
  });
});

describe("fixture", () => {
  it("holds what the tests assume", () => {
    expect(daily).toHaveLength(DAYS.length * 3 * USAGE_TYPES.length);
    expect(addDays(DAYS.at(-1)!, 1)).toBe(NOW.toISOString().slice(0, 10));
  });
});
