import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  type AccountAmount,
  anomalyDays,
  categoryOf,
  type CostCategory,
  type DailySeries,
  dayRange,
  DEFAULT_ANOMALY_OPTIONS,
  detectAnomalies,
  forecastToMonthEnd,
  formatUnits,
  type Frame,
  lastFullMonthChange,
  monthRange,
  monthToDateChange,
  OTHER_ACCOUNTS,
  parseUsd,
  rangeFor,
  stackByAccount,
  stackByCategory,
  stackByRegion,
  sumRows,
  toUsd,
  UNKNOWN_REGION,
  type UsageTypeAmount,
} from "./series";

const row = (period: string, usageType: string, amount: string, estimated = false): UsageTypeAmount => ({ period, usageType, amount, estimated });
const frame = (from: string, to: string, collected: Frame["collected"] = { from, to }): Frame => ({ periods: dayRange(from, to), collected });

describe("money", () => {
  it.each<[string, bigint]>([
    ["0", 0n],
    ["1", 10_000_000_000n],
    ["0.1", 1_000_000_000n],
    ["12.3456789012", 123_456_789_012n],
    ["-0.5", -5_000_000_000n],
    [".25", 2_500_000_000n],
    ["7.", 70_000_000_000n],
    // A fraction longer than the stored scale rounds half away from zero.
    ["0.00000000005", 1n],
    ["0.00000000004", 0n],
    ["-0.00000000005", -1n],
  ])("parseUsd(%s) = %s units", (text, units) => {
    expect(parseUsd(text)).toBe(units);
  });

  it.each(["", "-", "abc", "1e-5", "1,5", "1.2.3"])("refuses %j", (text) => {
    expect(() => parseUsd(text)).toThrow(/not a decimal amount/);
  });

  it("sums exactly where floating point would not", () => {
    // 0.1 + 0.2 !== 0.3 in floating point; a million rows of 1e-10 make exactly 0.0001.
    expect(toUsd(parseUsd("0.1") + parseUsd("0.2"))).toBe(0.3);
    let units = 0n;
    for (let i = 0; i < 1_000_000; i++) units += parseUsd("0.0000000001");
    expect(formatUnits(units, 10)).toBe("0.0001000000");
    // Past 2^53 units (about USD 900,000) the conversion still keeps the cents.
    expect(toUsd(parseUsd("123456789.0123456789"))).toBeCloseTo(123456789.0123456789, 6);
  });

  it.each<[bigint, number, string]>([
    [12_345_678_901n, 2, "1.23"],
    [12_355_000_000n, 2, "1.24"],
    [-12_355_000_000n, 2, "-1.24"],
    [-4_000_000n, 2, "0.00"],
    [5n, 6, "0.000000"],
    [123n, 10, "0.0000000123"],
    [25_000_000_000n, 0, "3"],
  ])("formatUnits(%s, %i) = %s", (units, decimals, text) => {
    expect(formatUnits(units, decimals)).toBe(text);
  });
});

describe("days and months", () => {
  it("walks days across month and year ends, and months by their first day", () => {
    expect(dayRange("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(dayRange("2026-03-02", "2026-03-01")).toEqual([]);
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addMonths("2026-01-01", -1)).toBe("2025-12-01");
    expect(addMonths("2026-11-01", 14)).toBe("2028-01-01");
    expect(monthRange("2025-11-17", "2026-02-01")).toEqual(["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]);
  });

  it.each<[number, string, string | null, { from: string; to: string }]>([
    // Ends on the newest day collected (Cost Explorer lags a day, so yesterday at best).
    [30, "2026-11-28", "2026-11-27", { from: "2026-10-29", to: "2026-11-27" }],
    [90, "2026-11-28", "2026-11-20", { from: "2026-08-23", to: "2026-11-20" }],
    // A day stored beyond yesterday (a clock behind AWS's) does not push the range into today.
    [30, "2026-11-28", "2026-11-28", { from: "2026-10-29", to: "2026-11-27" }],
    [30, "2026-11-28", null, { from: "2026-10-29", to: "2026-11-27" }],
  ])("rangeFor(%i, %s, %s)", (days, today, lastDay, expected) => {
    expect(rangeFor(days, today, lastDay)).toEqual(expected);
  });
});

describe("categoryOf", () => {
  it.each<[string, CostCategory]>([
    ["USE1-TimedStorage-ByteHrs", "storage"],
    ["TimedStorage-ByteHrs", "storage"],
    ["EU-DataTransfer-Out-Bytes", "internet-out"],
    ["USE1-EUC1-AWS-Out-Bytes", "inter-region"],
    // Regional (cross-AZ) transfer and the unknown go to "other".
    ["USE1-DataTransfer-Regional-Bytes", "other"],
    ["USE1-EnhancedScanning-Images", "other"],
  ])("%s -> %s", (usageType, category) => {
    expect(categoryOf(usageType)).toBe(category);
  });
});

describe("stackByCategory", () => {
  const rows = [
    row("2026-11-01", "USE1-TimedStorage-ByteHrs", "0.1"),
    row("2026-11-01", "EU-TimedStorage-ByteHrs", "0.2"),
    row("2026-11-01", "EU-DataTransfer-Out-Bytes", "1.0000000001"),
    row("2026-11-01", "USE1-DataTransfer-Regional-Bytes", "0.01"),
    row("2026-11-03", "USE1-EU-AWS-Out-Bytes", "2.5", true),
    // Outside the frame: ignored.
    row("2026-10-31", "USE1-TimedStorage-ByteHrs", "100"),
  ];

  it("sums per day and category exactly, in a fixed order, with a day without rows at 0", () => {
    const s = stackByCategory(rows, frame("2026-11-01", "2026-11-03"));
    expect(s.keys.map((k) => k.id)).toEqual(["storage", "internet-out", "inter-region", "other"]);
    expect(s.points.map((p) => [p.period, p.total, p.estimated])).toEqual([
      ["2026-11-01", 1.3100000001, false],
      ["2026-11-02", 0, false],
      ["2026-11-03", 2.5, true],
    ]);
    expect(s.points[0].values).toEqual({ storage: 0.3, "internet-out": 1.0000000001, "inter-region": 0, other: 0.01 });
    expect(s.totals).toEqual({ storage: 0.3, "internet-out": 1.0000000001, "inter-region": 2.5, other: 0.01 });
    expect(s.total).toBe(3.8100000001);
    expect(s.exactTotal).toBe("3.810000");
    expect(s.exact["2026-11-01"]).toMatchObject({ storage: "0.300000", total: "1.310000" });
  });

  it("leaves days outside what was collected as gaps (null), never $0", () => {
    const s = stackByCategory(rows, frame("2026-10-30", "2026-11-03", { from: "2026-11-01", to: "2026-11-02" }));
    expect(s.points.map((p) => p.total)).toEqual([null, null, 1.3100000001, 0, null]);
    expect(s.points[0].values).toEqual({});
    expect(s.total).toBe(1.3100000001);
  });

  it("is all gaps when nothing was collected", () => {
    const s = stackByCategory([], frame("2026-11-01", "2026-11-02", { from: null, to: null }));
    expect(s.points.every((p) => p.total === null)).toBe(true);
    expect(s.total).toBe(0);
  });
});

describe("stackByRegion", () => {
  it("reads the region from the billing code, largest first, unknown codes last", () => {
    const s = stackByRegion(
      [
        row("2026-11-01", "USE1-TimedStorage-ByteHrs", "1"),
        row("2026-11-01", "TimedStorage-ByteHrs", "1"),
        row("2026-11-01", "EU-DataTransfer-Out-Bytes", "3"),
        row("2026-11-01", "ZZZ9-TimedStorage-ByteHrs", "50"),
        row("2026-11-01", "EU-USE1-AWS-Out-Bytes", "0.5"),
      ],
      frame("2026-11-01", "2026-11-01"),
    );
    expect(s.keys).toEqual([
      { id: "eu-west-1", label: "eu-west-1" },
      { id: "us-east-1", label: "us-east-1" },
      { id: UNKNOWN_REGION, label: "Unknown region" },
    ]);
    expect(s.totals).toEqual({ "eu-west-1": 3.5, "us-east-1": 2, [UNKNOWN_REGION]: 50 });
  });
});

describe("stackByAccount", () => {
  const acc = (period: string, account: string | null, amount: string): AccountAmount => ({ period, account, amount, estimated: false });
  const rows = [acc("2026-11-01", "111111111111", "5"), acc("2026-11-01", "222222222222", "3"), acc("2026-11-02", "333333333333", "1"), acc("2026-11-02", "444444444444", "1"), acc("2026-11-02", null, "0.25")];

  it("keeps the top accounts by total and folds the rest into other accounts, named", () => {
    const s = stackByAccount(rows, frame("2026-11-01", "2026-11-02"), { top: 2, names: { "111111111111": "prod-core" } });
    expect(s.keys).toEqual([
      { id: "111111111111", label: "prod-core (111111111111)" },
      { id: "222222222222", label: "222222222222" },
      { id: OTHER_ACCOUNTS, label: "Other accounts (2)" },
    ]);
    expect(s.totals[OTHER_ACCOUNTS]).toBe(2.25);
    expect(s.total).toBe(10.25);
    expect(s.points[1].values).toEqual({ "111111111111": 0, "222222222222": 0, [OTHER_ACCOUNTS]: 2.25 });
  });

  it("counts the accounts a query folded when told how many there were; ties go by account id", () => {
    const s = stackByAccount(rows, frame("2026-11-01", "2026-11-02"), { top: 3, accounts: 9 });
    expect(s.keys.map((k) => k.id)).toEqual(["111111111111", "222222222222", "333333333333", OTHER_ACCOUNTS]);
    expect(s.keys.at(-1)!.label).toBe("Other accounts (6)");
  });

  it("has no other-accounts series when every account fits", () => {
    const s = stackByAccount(rows.slice(0, 2), frame("2026-11-01", "2026-11-01"), { top: 8 });
    expect(s.keys.map((k) => k.id)).toEqual(["111111111111", "222222222222"]);
  });
});

describe("month over month", () => {
  const daily = [
    row("2026-10-01", "USE1-TimedStorage-ByteHrs", "1"),
    row("2026-10-27", "USE1-TimedStorage-ByteHrs", "2"),
    row("2026-10-28", "USE1-TimedStorage-ByteHrs", "100"),
    row("2026-11-01", "USE1-TimedStorage-ByteHrs", "1.5"),
    row("2026-11-27", "USE1-TimedStorage-ByteHrs", "3", true),
  ];

  it("compares this month to date with the same days of last month", () => {
    const c = monthToDateChange(daily, "2026-11-28", { from: "2026-08-30", to: "2026-11-27" })!;
    expect(c).toMatchObject({ current: 4.5, previous: 3, delta: 1.5, ratio: 0.5, estimated: true, currentFrom: "2026-11-01", currentTo: "2026-11-27", previousFrom: "2026-10-01", previousTo: "2026-10-27" });
  });

  it.each<[string, string, string, string]>([
    // The 30th of March against February: all of February.
    ["2026-03-31", "2026-03-30", "2026-02-01", "2026-02-28"],
    ["2028-03-31", "2028-03-30", "2028-02-01", "2028-02-29"],
    ["2026-12-02", "2026-12-01", "2026-11-01", "2026-11-01"],
  ])("clamps to last month's length (today %s, collected to %s)", (today, to, previousFrom, previousTo) => {
    expect(monthToDateChange([], today, { from: "2025-01-01", to })).toMatchObject({ previousFrom, previousTo, ratio: null });
  });

  it("is null before this month has a day, or when the daily rows do not reach last month's start", () => {
    expect(monthToDateChange(daily, "2026-12-01", { from: "2026-08-30", to: "2026-11-30" })).toBeNull();
    expect(monthToDateChange(daily, "2026-11-28", { from: "2026-10-02", to: "2026-11-27" })).toBeNull();
    expect(monthToDateChange(daily, "2026-11-28", { from: null, to: null })).toBeNull();
  });

  it("compares the last full month with the one before, from monthly rows", () => {
    const monthly = [row("2026-09-01", "USE1-TimedStorage-ByteHrs", "80"), row("2026-10-01", "USE1-TimedStorage-ByteHrs", "60"), row("2026-10-01", "EU-TimedStorage-ByteHrs", "40"), row("2026-11-01", "EU-TimedStorage-ByteHrs", "7", true)];
    expect(lastFullMonthChange(monthly, "2026-11-28", { from: "2025-11-01", to: "2026-11-01" })).toMatchObject({ current: 100, previous: 80, delta: 20, ratio: 0.25, estimated: false, currentFrom: "2026-10-01", previousFrom: "2026-09-01" });
    expect(lastFullMonthChange(monthly, "2026-11-28", { from: "2026-10-01", to: "2026-11-01" })).toBeNull();
  });

  it("sumRows adds the rows of a period and says whether any was estimated", () => {
    expect(sumRows(daily, "2026-11-01", "2026-11-30")).toEqual({ units: 45_000_000_000n, estimated: true, rows: 2 });
  });
});

describe("forecastToMonthEnd", () => {
  const daily = [row("2026-11-01", "USE1-TimedStorage-ByteHrs", "10"), row("2026-11-27", "USE1-TimedStorage-ByteHrs", "5", true), row("2026-11-28", "USE1-TimedStorage-ByteHrs", "999")];
  const forecasts = [
    { start: "2026-11-28", end: "2026-12-01", mean: "20.5", lower: "18", upper: "23" },
    { start: "2026-12-01", end: "2027-01-01", mean: "200", lower: "150", upper: null },
  ];

  it("adds the forecast of the rest of the month to what was billed before it starts", () => {
    expect(forecastToMonthEnd(daily, forecasts, "2026-11-28")).toEqual({
      month: "2026-11-01",
      actual: 15,
      actualEstimated: true,
      forecastFrom: "2026-11-28",
      rest: { mean: 20.5, lower: 18, upper: 23 },
      total: { mean: 35.5, lower: 33, upper: 38 },
      nextMonth: { month: "2026-12-01", mean: 200, lower: 150, upper: null },
    });
  });

  it("is null without a forecast that starts this month", () => {
    expect(forecastToMonthEnd(daily, forecasts, "2027-01-03")).toBeNull();
    expect(forecastToMonthEnd(daily, [], "2026-11-28")).toBeNull();
  });
});

describe("detectAnomalies", () => {
  const BASE = "2026-01-01";
  /** A series from day 0 of BASE: one value per day, null for a day without a row. */
  const series = (values: (number | null)[], extra: Partial<DailySeries> = {}): DailySeries => {
    const offsets: number[] = [];
    const amounts: number[] = [];
    values.forEach((v, i) => {
      if (v !== null) {
        offsets.push(i);
        amounts.push(v);
      }
    });
    return { account: "111111111111", usageType: "USE1-DataTransfer-Out-Bytes", offsets, amounts, estimated: [], ...extra };
  };
  /** Weekday 10, weekend 5, with a little deterministic wobble: transfer's weekly shape. */
  const weekly = (days: number, scale = 1) => Array.from({ length: days }, (_, i) => scale * ((i % 7 === 5 || i % 7 === 6 ? 5 : 10) + ((i * 7919) % 13) / 10));
  const judgeAll = (days: number) => ({ from: BASE, to: addDays(BASE, days - 1) });
  const flagged = (s: DailySeries[], days: number, options = DEFAULT_ANOMALY_OPTIONS) => detectAnomalies(BASE, s, judgeAll(days), options).map((a) => a.date);

  it.each<[string, (number | null)[], string[]]>([
    ["a weekly pattern alone", weekly(70), []],
    ["a 4x spike on a weekday", weekly(70).map((v, i) => (i === 50 ? v * 4 : v)), ["2026-02-20"]],
    ["a 3x spike on a weekend day (a weekday's level: not far)", weekly(70).map((v, i) => (i === 54 ? v * 1.9 : v)), []],
    ["two spikes a week apart: the first does not hide the second", weekly(70).map((v, i) => (i === 40 || i === 47 ? v * 5 : v)), ["2026-02-17", "2026-02-10"]],
    ["a series younger than 14 days is not judged", [10, 10, 10, 10, 10, 10, 100], []],
    // Storage: smooth, MAD near 0; a 3% step between a 30- and a 31-day month is not an anomaly.
    ["a smooth series with a 3% step", Array.from({ length: 60 }, (_, i) => (i < 40 ? 100 : 103)), []],
    ["a smooth series that doubles", Array.from({ length: 60 }, (_, i) => (i === 45 ? 200 : 100)), ["2026-02-15"]],
    // Cents: far above, but below the USD 0.50 floor.
    ["a tiny series that triples", Array.from({ length: 40 }, (_, i) => (i === 30 ? 0.3 : 0.1)), []],
    // A day without a row inside the span cost nothing, so it is part of a low baseline.
    ["a sporadic series", Array.from({ length: 40 }, (_, i) => (i === 35 ? 6 : i % 3 ? null : 1)), ["2026-02-05"]],
  ])("%s", (_name, values, expected) => {
    expect(flagged([series(values)], values.length)).toEqual(expected);
  });

  it("says what drove it: the day, account, usage type, category, region, amount, expected and excess", () => {
    const values = weekly(60).map((v, i) => (i === 44 ? 80 : v));
    const [a] = detectAnomalies(BASE, [series(values, { estimated: [44], usageType: "EU-DataTransfer-Out-Bytes" })], judgeAll(60));
    expect(a).toMatchObject({ date: "2026-02-14", account: "111111111111", usageType: "EU-DataTransfer-Out-Bytes", category: "internet-out", region: "eu-west-1", amount: 80, estimated: true });
    expect(a.expected).toBeGreaterThan(9);
    expect(a.expected).toBeLessThan(11.5);
    expect(a.excess).toBeCloseTo(80 - a.expected, 10);
  });

  it("judges only the days asked for, using the days before as baseline, newest first then largest", () => {
    const spiky = weekly(70).map((v, i) => (i === 20 || i === 60 ? v * 6 : v));
    const other = series(weekly(70).map((v, i) => (i === 60 ? v * 9 : v)), { account: "222222222222" });
    const found = detectAnomalies(BASE, [series(spiky), other], { from: addDays(BASE, 30), to: addDays(BASE, 69) });
    expect(found.map((a) => [a.date, a.account])).toEqual([
      ["2026-03-02", "222222222222"],
      ["2026-03-02", "111111111111"],
    ]);
    const days = anomalyDays(found);
    expect([...days.keys()]).toEqual(["2026-03-02"]);
    expect(days.get("2026-03-02")).toMatchObject({ count: 2, top: { account: "222222222222" } });
  });

  it("takes a series' days in any order (the query does not sort them)", () => {
    const values = weekly(60).map((v, i) => (i === 44 ? 80 : v));
    const ordered = series(values);
    const order = ordered.offsets.map((_, i) => i).sort((x, y) => ((x * 37) % 61) - ((y * 37) % 61));
    const shuffled = { ...ordered, offsets: order.map((i) => ordered.offsets[i]), amounts: order.map((i) => ordered.amounts[i]) };
    expect(shuffled.offsets).not.toEqual(ordered.offsets);
    expect(detectAnomalies(BASE, [shuffled], judgeAll(60))).toEqual(detectAnomalies(BASE, [ordered], judgeAll(60)));
    expect(flagged([shuffled], 60)).toEqual(["2026-02-14"]);
  });

  it("the floor and k are options", () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 30 ? 0.3 : 0.1));
    expect(flagged([series(values)], 40, { ...DEFAULT_ANOMALY_OPTIONS, minExcessUsd: 0.1 })).toEqual(["2026-01-31"]);
    // Median 10, MAD 2 (robust sd 2.97): 18 is 2.7 sd above, so only a lower k flags it.
    const spike = Array.from({ length: 40 }, (_, i) => (i === 30 ? 18 : [10, 12, 8][i % 3]));
    expect(flagged([series(spike)], 40)).toEqual([]);
    expect(flagged([series(spike)], 40, { ...DEFAULT_ANOMALY_OPTIONS, k: 2 })).toEqual(["2026-01-31"]);
  });
});
