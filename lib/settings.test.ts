import { describe, expect, it } from "vitest";
import { nextCronRuns, parseSetting, SETTINGS } from "./settings";

describe("collectSchedule", () => {
  const schema = SETTINGS.collectSchedule.schema;

  it.each([
    ["0 */6 * * *", "0 */6 * * *"],
    ["  30   2 * * 1-5 ", "30 2 * * 1-5"],
  ])("accepts %j", (input, stored) => {
    expect(schema.parse(input)).toBe(stored);
  });

  it.each([
    ["0 */6 * *", "must have 5 fields (minute hour day-of-month month day-of-week), not 4"],
    ["0 0 */6 * * *", "must have 5 fields (minute hour day-of-month month day-of-week), not 6"],
    ["@daily", "must have 5 fields"],
    ["61 * * * *", "is not a valid cron expression"],
    ["* * * * mon-xyz", "is not a valid cron expression"],
  ])("refuses %j", (input, message) => {
    expect(schema.safeParse(input).error?.issues[0].message).toContain(message);
  });

  it("gives the next runs in UTC", () => {
    expect(nextCronRuns("0 */6 * * *", 3, new Date("2026-11-28T05:59:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-11-28T06:00:00.000Z",
      "2026-11-28T12:00:00.000Z",
      "2026-11-28T18:00:00.000Z",
    ]);
  });
});

describe("stored settings", () => {
  it("fall back to the default when a stored value no longer parses", () => {
    expect(parseSetting("collectSchedule", "every hour")).toBe("0 */6 * * *");
    expect(parseSetting("vulnerabilityThreshold", "SEVERE")).toBe("HIGH");
    expect(parseSetting("organizations", undefined)).toBeNull();
    expect(parseSetting("costExplorer", { roleArn: "arn:aws:iam::999999999999:role/C" })).toEqual({ roleArn: "arn:aws:iam::999999999999:role/C", lookbackDays: 90 });
    expect(parseSetting("trustedAccounts", ["111111111111", "111111111111"])).toEqual(["111111111111"]);
  });
});
