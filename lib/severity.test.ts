import { describe, expect, it } from "vitest";
import { bySeverity, severityRank } from "./severity";

describe("severity order", () => {
  it("puts the most severe first, unknown ones last, and leaves out zeros", () => {
    expect(bySeverity({ LOW: 4, CRITICAL: 1, WEIRD: 2, HIGH: 0, MEDIUM: 3 })).toEqual([["CRITICAL", 1], ["MEDIUM", 3], ["LOW", 4], ["WEIRD", 2]]);
    expect(bySeverity(null)).toEqual([]);
    expect(severityRank("CRITICAL")).toBeLessThan(severityRank("HIGH"));
  });
});
