import { describe, expect, it } from "vitest";
import { emptyCounts, formatScore, scoreOf, worstStatus } from "./score";

describe("score (CONTROLS.md: (PASS + INHERITED + EXCEPTED) / (all - NOT_APPLICABLE - ERROR - MANUAL))", () => {
  it.each([
    [{ PASS: 3, FAIL: 1 }, 0.75, "75.0%"],
    [{ PASS: 1, INHERITED: 1, EXCEPTED: 1, FAIL: 1 }, 0.75, "75.0%"],
    // Unknown and manual results are left out of the percentage, not counted as passing or failing.
    [{ PASS: 1, FAIL: 1, ERROR: 50, MANUAL: 7, NOT_APPLICABLE: 9 }, 0.5, "50.0%"],
    [{ ERROR: 4, MANUAL: 2 }, null, "n/a"],
    [{ PASS: 9999, FAIL: 1 }, 0.9999, "99.9%"],
  ])("%j scores %s (%s)", (counts, score, text) => {
    const c = { ...emptyCounts(), ...counts };
    expect(scoreOf(c)).toBe(score);
    expect(formatScore(scoreOf(c))).toBe(text);
  });

  it("puts the status a reader must see first", () => {
    expect(worstStatus({ PASS: 4, EXCEPTED: 1 })).toBe("EXCEPTED");
    expect(worstStatus({ PASS: 4, ERROR: 1, MANUAL: 2 })).toBe("ERROR");
    expect(worstStatus({ FAIL: 1, ERROR: 1 })).toBe("FAIL");
    expect(worstStatus({ NOT_APPLICABLE: 3 })).toBe("NOT_APPLICABLE");
    expect(worstStatus({})).toBeNull();
  });
});
