import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CostRow } from "@/lib/aws/types";
import { addDays, dayRange, formatUnits, monthOf, parseUsd } from "@/lib/cost/series";
import type { SessionUser } from "@/lib/db/sessions";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import { writeCostCollection } from "./cost-writer";
import { getCostView } from "./costs";
import { sessionUser } from "@/test/session";

// The Costs page's CSV downloads as a browser calls them: the route checks the session and the
// role itself, validates its parameters (400 naming the bad one), and its rows add up to the
// table's total.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));

const { GET } = await import("@/app/api/costs/[table]/route");

withTestDatabase();

const as = sessionUser;
const download = (table: string, query = "") => GET(new Request(`http://localhost/api/costs/${table}${query}`), { params: Promise.resolve({ table }) });

// Sixty days up to yesterday (the route reads "now" from the clock), two accounts, three usage types.
const today = new Date().toISOString().slice(0, 10);
const days = dayRange(addDays(today, -60), addDays(today, -1));
const USAGE_TYPES = ["USE1-TimedStorage-ByteHrs", "EU-DataTransfer-Out-Bytes", "USE1-EU-AWS-Out-Bytes"];
const daily: CostRow[] = days.flatMap((date, d) =>
  ["111111111111", "222222222222"].flatMap((key, a) =>
    USAGE_TYPES.map((usageType, u) => ({
      date,
      dimension: "LINKED_ACCOUNT" as const,
      key,
      usageType,
      amount: ((a + 1) * (u + 1) * (1 + (d % 7) / 10) + 0.0000012345).toFixed(10),
      amountUnit: "USD",
      quantity: "1",
      quantityUnit: "GB",
      estimated: d >= days.length - 2,
    })),
  ),
);
const monthly: CostRow[] = [...new Set(daily.map((r) => monthOf(r.date)))].flatMap((month) =>
  ["111111111111", "222222222222"].flatMap((key) =>
    USAGE_TYPES.map((usageType) => {
      const rows = daily.filter((r) => r.key === key && r.usageType === usageType && monthOf(r.date) === month);
      return { ...rows[0], date: month, amount: formatUnits(rows.reduce((s, r) => s + parseUsd(r.amount), 0n), 10) };
    }),
  ),
);

beforeAll(async () => {
  const db = getDb();
  await db.collectionRun.create({ data: { id: 1, status: "complete", trigger: "cli", requestedBy: "test", costExplorerRequests: 12 } });
  await db.collectionTarget.create({ data: { runId: 1, kind: "cost", accountId: "999999999999", region: "global", status: "done", finishedAt: new Date() } });
  await writeCostCollection(1, { daily, monthly, forecasts: [], usageTypes: USAGE_TYPES });
});

/** The CSV as rows of cells (no cell here holds a comma or a quote). */
async function csv(res: Response): Promise<{ header: string[]; rows: string[][] }> {
  const lines = (await res.text()).split("\r\n").filter(Boolean);
  return { header: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

const sumColumn = (rows: string[][], index: number) => rows.reduce((s, r) => s + parseUsd(r[index]), 0n);

describe("GET /api/costs/[table]", () => {
  it("refuses anonymous callers (401) and auditors (403), with no cost in the answer", async () => {
    for (const [user, status] of [[null, 401], [as("auditor"), 403]] as const) {
      session.user = user;
      const res = await download("daily");
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/json/);
      expect(await res.text()).not.toMatch(/USD|\d+\.\d{6}/);
    }
  });

  it("serves each chart's table to finops as a CSV attachment whose rows add up to the table's total", async () => {
    session.user = as("finops");
    const view = await getCostView(30, {});
    const tables = { daily: view.daily.byCategory, accounts: view.daily.byAccount, regions: view.daily.byRegion, monthly: view.monthly };
    for (const [table, stacked] of Object.entries(tables)) {
      const res = await download(table, "?range=30");
      expect(res.status, table).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="portwatch-costs-${table}-[0-9-]+to-[0-9-]+\\.csv"$`));
      const { header, rows } = await csv(res);
      const total = header.indexOf("total (USD)");
      expect(header.slice(1, total)).toEqual(stacked.keys.map((k) => `${k.label} (USD)`));
      expect(rows.length, table).toBe(stacked.points.filter((p) => p.total !== null).length);
      // To the cent: each cell has 6 decimals, the table's total is the exact sum of the stored rows.
      expect(formatUnits(sumColumn(rows, total), 2), table).toBe(formatUnits(parseUsd(stacked.exactTotal), 2));
      for (let c = 1; c < total; c++) expect(formatUnits(sumColumn(rows, c), 2)).toBe(formatUnits(parseUsd(stacked.exactTotals[stacked.keys[c - 1].id]), 2));
    }
    // The 30-day daily table: 30 days, and they are the stored rows of those days.
    const { rows } = await csv(await download("daily", "?range=30"));
    const stored = daily.filter((r) => r.date >= addDays(today, -30)).reduce((s, r) => s + parseUsd(r.amount), 0n);
    expect(rows).toHaveLength(30);
    expect(formatUnits(sumColumn(rows, 5), 2)).toBe(formatUnits(stored, 2));
    expect(rows.at(-1)!.slice(-2)).toEqual(["true", "false"]);
  });

  it("applies the page's filters, and serves admin and security too", async () => {
    for (const role of ["admin", "security"] as const) {
      session.user = as(role);
      const res = await download("regions", "?range=90&account=222222222222&region=eu-west-1");
      expect(res.status).toBe(200);
      const { header, rows } = await csv(res);
      expect(header).toEqual(["day", "eu-west-1 (USD)", "total (USD)", "estimated"]);
      const stored = daily.filter((r) => r.key === "222222222222" && r.usageType.startsWith("EU-")).reduce((s, r) => s + parseUsd(r.amount), 0n);
      expect(formatUnits(sumColumn(rows, 2), 2)).toBe(formatUnits(stored, 2));
    }
    session.user = as("finops");
    const anomalies = await csv(await download("anomalies", "?range=90"));
    expect(anomalies.header).toEqual(["date", "account", "account_name", "usage_type", "category", "region", "amount_usd", "expected_usd", "excess_usd", "estimated"]);
  });

  it.each([
    ["?range=45", /"range" must be one of 30, 90, 180, 365/],
    ["?account=12345", /"account" must be a 12-digit AWS account id/],
    ["?region=mars-north-1", /"region" must be an AWS region/],
    ["?range=30&range=90", /"range" is given 2 times/],
    ["?colour=blue", /Unknown parameter "colour"/],
    ["?region=%00%01", /"region"/],
  ])("answers 400 naming the bad parameter: %s", async (query, message) => {
    session.user = as("finops");
    const res = await download("daily", query);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(message);
  });

  it("answers 404 for a table that does not exist", async () => {
    session.user = as("finops");
    const res = await download("everything");
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/tables: monthly, daily, accounts, regions, anomalies/);
  });
});
