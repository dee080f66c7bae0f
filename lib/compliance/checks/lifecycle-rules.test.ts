import { describe, expect, it } from "vitest";
import { describeRule, parseLifecyclePolicy } from "./lifecycle-rules";

describe("parseLifecyclePolicy", () => {
  it("reads every field of a rule", () => {
    const text = JSON.stringify({
      rules: [
        {
          rulePriority: 3,
          description: "archive old",
          selection: { tagStatus: "tagged", tagPrefixList: ["v"], tagPatternList: ["v*"], countType: "sinceImagePulled", countUnit: "days", countNumber: 90, storageClass: "standard" },
          action: { type: "transition", targetStorageClass: "archive" },
        },
      ],
    });
    const parsed = parseLifecyclePolicy(text);
    expect(parsed).toEqual({
      ok: true,
      rules: [
        {
          index: 0,
          rulePriority: 3,
          description: "archive old",
          selection: { tagStatus: "tagged", tagPrefixList: ["v"], tagPatternList: ["v*"], countType: "sinceImagePulled", countUnit: "days", countNumber: 90, storageClass: "standard" },
          action: { type: "transition", targetStorageClass: "archive" },
        },
      ],
    });
    expect(parseLifecyclePolicy(text)).toBe(parsed);
  });

  it("tolerates missing and oddly typed fields", () => {
    const parsed = parseLifecyclePolicy(JSON.stringify({ rules: [{ selection: { tagStatus: "UNTAGGED", countNumber: "7" } }, "junk"] }));
    expect(parsed).toMatchObject({ ok: true, rules: [{ index: 0, rulePriority: null, selection: { tagStatus: "untagged", countNumber: 7, countType: null }, action: { type: null } }] });
  });

  it.each([
    ["not JSON", "{rules:"],
    ["a JSON string", '"rules"'],
  ])("reports %s as unparseable", (_, text) => {
    expect(parseLifecyclePolicy(text).ok).toBe(false);
  });

  it("reads a policy with no rules list as having none", () => {
    expect(parseLifecyclePolicy("{}")).toEqual({ ok: true, rules: [] });
  });

  it("describes a rule in one line", () => {
    const parsed = parseLifecyclePolicy(JSON.stringify({ rules: [{ rulePriority: 2, selection: { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 100 }, action: { type: "expire" } }] }));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(describeRule(parsed.rules[0])).toBe("rule 2 (tagged release-*, imageCountMoreThan 100, expire)");
  });
});
