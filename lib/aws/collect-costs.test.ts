import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { emptyStats } from "./clients";
import { collectCosts, costPeriods, type CostCollection, splitPeriod } from "./collect-costs";
import type { RoleSessions } from "./credentials";
import { AwsCallError } from "./errors";
import { memberRoleArn, sandboxClient, sandboxSessions } from "./testing";

let sandbox: RunningSandbox;
let sessions: RoleSessions;
let costs: CostCollection;
let today: Date;
const stats = emptyStats();

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 3 }));
  sessions = sandboxSessions(sandbox);
  today = sandbox.organization.now;
  costs = await collectCosts({ credentials: sessions.provider(sandbox.organization.costReaderRoleArn), today, lookbackDays: 30, client: sandboxClient(sandbox), stats });
});
afterAll(async () => {
  sessions.destroy();
  await sandbox.close();
});

describe("costPeriods", () => {
  it("ends on today (exclusive), reads 13 months, and forecasts to the end of next month", () => {
    const day = new Date("2026-11-15T18:30:00Z");
    expect(costPeriods({ today: day, lookbackDays: 90 })).toEqual({
      daily: { Start: "2026-08-17", End: "2026-11-15" },
      monthly: { Start: "2025-11-01", End: "2026-11-15" },
      forecast: { Start: "2026-11-15", End: "2027-01-01" },
    });
    expect(costPeriods({ today: day, lookbackDays: 90, dailySince: "2026-11-10" }).daily).toEqual({ Start: "2026-11-10", End: "2026-11-15" });
    // An incremental start older than the lookback window is clamped to it.
    expect(costPeriods({ today: day, lookbackDays: 90, dailySince: "2025-01-01" }).daily.Start).toBe("2026-08-17");
  });
});

describe("collectCosts", () => {
  it("returns daily rows grouped by linked account and by region, each with its usage type, today excluded", () => {
    const dates = new Set(costs.daily.map((r) => r.date));
    expect(dates.size).toBe(30);
    expect([...dates].sort().at(-1)).toBe(new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10));
    const byAccount = costs.daily.filter((r) => r.dimension === "LINKED_ACCOUNT");
    const byRegion = costs.daily.filter((r) => r.dimension === "REGION");
    expect(byAccount.length).toBeGreaterThan(0);
    expect(byRegion.length).toBeGreaterThan(0);
    const active = sandbox.organization.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id);
    for (const id of active) expect(byAccount.some((r) => r.key === id)).toBe(true);
    expect(new Set(byRegion.map((r) => r.key))).toEqual(new Set(sandbox.organization.options.regions));
    for (const row of costs.daily) {
      expect(row.amount).toMatch(/^-?\d+(\.\d+)?$/);
      expect(row.amountUnit).toBe("USD");
      expect(costs.usageTypes).toContain(row.usageType);
    }
    // The same money, grouped two ways.
    const sum = (rows: typeof costs.daily) => rows.reduce((s, r) => s + Number(r.amount), 0);
    expect(sum(byAccount)).toBeCloseTo(sum(byRegion), 4);
    // Cost Explorer marks its last days as estimated.
    expect(costs.daily.some((r) => r.estimated)).toBe(true);
    expect(costs.daily.some((r) => !r.estimated)).toBe(true);
  });

  it("returns 13 months of monthly rows, discovers the usage types, and forecasts this month and the next", () => {
    const months = [...new Set(costs.monthly.map((r) => r.date))].sort();
    expect(months.every((m) => m.endsWith("-01"))).toBe(true);
    expect(months.length).toBeGreaterThanOrEqual(12);
    expect(months.length).toBeLessThanOrEqual(13);
    expect(costs.usageTypes.length).toBeGreaterThan(1);
    expect(costs.usageTypes.some((u) => u.endsWith("TimedStorage-ByteHrs"))).toBe(true);
    expect(costs.usageTypes).toEqual([...costs.usageTypes].sort());
    expect(costs.forecasts).toHaveLength(2);
    const [thisMonth, nextMonth] = costs.forecasts;
    expect(thisMonth.start).toBe(today.toISOString().slice(0, 10));
    expect(thisMonth.end).toBe(nextMonth.start);
    expect(Number(thisMonth.lower)).toBeLessThanOrEqual(Number(thisMonth.mean));
    expect(Number(thisMonth.upper)).toBeGreaterThanOrEqual(Number(thisMonth.mean));
    expect(costs.failures).toEqual([]);
  });

  it("counts every request it sent (each costs USD 0.01)", () => {
    // GetDimensionValues, GetCostForecast, and at least one page for each of the four GetCostAndUsage series.
    expect(costs.requests).toBeGreaterThanOrEqual(6);
    const sent = sandbox.metrics().calls;
    expect(costs.requests).toBe((sent["ce:GetCostAndUsage"] ?? 0) + (sent["ce:GetCostForecast"] ?? 0) + (sent["ce:GetDimensionValues"] ?? 0));
    expect(stats.calls).toBe(costs.requests);
  });

  it("reads only from dailySince on an incremental run", async () => {
    const since = new Date(today.getTime() - 5 * 86_400_000).toISOString().slice(0, 10);
    const incremental = await collectCosts({ credentials: sessions.provider(sandbox.organization.costReaderRoleArn), today, lookbackDays: 30, dailySince: since, client: sandboxClient(sandbox) });
    expect(new Set(incremental.daily.map((r) => r.date)).size).toBe(5);
    expect(incremental.daily.every((r) => r.date >= since)).toBe(true);
  });

  it("throws when GetCostAndUsage is refused (a member account is not the payer)", async () => {
    const member = sandbox.organization.accounts[0].id;
    const error = await collectCosts({ credentials: sessions.provider(memberRoleArn(sandbox, member)), accountId: member, today, lookbackDays: 7, client: sandboxClient(sandbox) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).failure).toMatchObject({ accountId: member, region: "global", service: "ce", operation: "GetCostAndUsage", kind: "access-denied" });
  });
});

describe("splitPeriod", () => {
  it("cuts a period into consecutive slices that cover it exactly", () => {
    expect(splitPeriod({ Start: "2026-08-30", End: "2026-11-28" }, 31)).toEqual([
      { Start: "2026-08-30", End: "2026-09-30" },
      { Start: "2026-09-30", End: "2026-10-31" },
      { Start: "2026-10-31", End: "2026-11-28" },
    ]);
    expect(splitPeriod({ Start: "2026-11-25", End: "2026-11-28" }, 31)).toEqual([{ Start: "2026-11-25", End: "2026-11-28" }]);
    expect(splitPeriod({ Start: "2026-11-28", End: "2026-11-28" }, 31)).toEqual([]);
  });
});
