import { describe, expect, it } from "vitest";
import type { ComplianceSettings } from "../types";
import { describeRule, parseLifecyclePolicy, reclaimableBytes } from "./lifecycle-rules";
import { agedImage as image, checkContext } from "./testing";

const context = (settings: Partial<ComplianceSettings> = {}) => checkContext({ settings });

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

describe("reclaimableBytes", () => {
  const images = [image(0.5, []), image(3, [], 1_000), image(10, [], 10_000), ...Array.from({ length: 13 }, (_, i) => image(i, [`v${i}`], 5))];

  it("counts untagged images pushed more than lifecycleUntaggedDays ago", () => {
    expect(reclaimableBytes(images, "untagged", context())).toEqual({ bytes: 11_000, images: 2 });
    expect(reclaimableBytes(images, "untagged", context({ lifecycleUntaggedDays: 5 }))).toEqual({ bytes: 10_000, images: 1 });
  });

  it("counts tagged images beyond the newest lifecycleMaxTaggedImages", () => {
    expect(reclaimableBytes(images, "tagged", context())).toEqual({ bytes: 15, images: 3 });
    expect(reclaimableBytes(images, "tagged", context({ lifecycleMaxTaggedImages: 20 }))).toEqual({ bytes: 0, images: 0 });
  });

  it("does not reorder the caller's images", () => {
    const before = images.map((i) => i.digest);
    reclaimableBytes(images, "tagged", context());
    expect(images.map((i) => i.digest)).toEqual(before);
  });
});

describe("reclaimableBytes on a large repository", () => {
  // Pushed in shuffled order: the estimator must not depend on the images' order.
  const many = Array.from({ length: 300 }, (_, i) => image((i * 37) % 300, [`v${i}`], ((i * 37) % 300) + 1));
  const expectedBeyond = (keep: number) => {
    const sizes = many.map((m) => m.sizeBytes).sort((a, b) => a - b);
    return { bytes: sizes.slice(keep).reduce((s, b) => s + b, 0), images: 300 - keep };
  };

  it.each([0, 1, 10, 64, 65, 299, 300, 400])("keeps the newest %i tagged images", (keep) => {
    const want = keep >= 300 ? { bytes: 0, images: 0 } : expectedBeyond(keep);
    expect(reclaimableBytes(many, "tagged", context({ lifecycleMaxTaggedImages: keep }))).toEqual(want);
  });
});
