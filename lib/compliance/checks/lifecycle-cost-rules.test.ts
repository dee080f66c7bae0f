import { describe, expect, it } from "vitest";
import type { ComplianceSettings, ImageFacts, RegistryFacts, RepositoryFacts } from "../types";
import { lifecycleCostRules } from "./lifecycle-cost-rules";
import { agedImage as image, checkContext, GIB, readErrors, repositoryFacts } from "./testing";

const registry = {} as RegistryFacts; // lifecycle-cost-rules reads nothing of the registry
const context = (settings: Partial<ComplianceSettings> = {}) => checkContext({ settings });

// 3 untagged images (2 older than a day: 1.5 GiB) and 12 tagged ones (the 2 oldest beyond 10: 0.5 GiB).
const IMAGES: ImageFacts[] = [
  image(0.2, [], 5 * GIB),
  image(2, [], GIB),
  image(40, [], GIB / 2),
  ...Array.from({ length: 12 }, (_, i) => image(i, [`1.0.${i}`], GIB / 4)),
];

const repo = (overrides: Partial<RepositoryFacts> = {}) => repositoryFacts({ images: IMAGES, ...overrides });

type Selection = Record<string, unknown>;
const rule = (rulePriority: number, selection: Selection, type = "expire") => ({ rulePriority, selection, action: { type } });
const untagged = (rulePriority: number, days: number, type = "expire") => rule(rulePriority, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: days }, type);
const anyCap = (rulePriority: number, count: number) => rule(rulePriority, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: count });
const taggedCap = (rulePriority: number, count: number, lists: Selection) => rule(rulePriority, { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: count, ...lists });
const policy = (...rules: unknown[]) => JSON.stringify({ rules });

const denied = readErrors("GetLifecyclePolicy");

describe("lifecycle-cost-rules", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<ComplianceSettings>, string, RegExp[]]>([
    ["untagged 1 day + any capped at 10 as the last rule", { lifecyclePolicy: policy(untagged(1, 1), anyCap(2, 10)) }, {}, "PASS", [/rule 1 .* expires untagged images 1 day\(s\) after push/, /rule 2 \(any, imageCountMoreThan 10, expire\) keeps at most 10 tagged images/]],
    ["untagged 1 day + tagged ['*'] capped at 10", { lifecyclePolicy: policy(taggedCap(1, 10, { tagPatternList: ["*"] }), untagged(2, 1)) }, {}, "PASS", [/rule 1 \(tagged \*, imageCountMoreThan 10, expire\) keeps at most 10/]],
    ["a tighter untagged rule and cap", { lifecyclePolicy: policy(untagged(1, 0), anyCap(5, 3)) }, {}, "PASS", [/0 day\(s\)/, /at most 3 tagged/]],
    [
      "an earlier tagged rule whose count keeps the total within the cap",
      { lifecyclePolicy: policy(taggedCap(1, 3, { tagPatternList: ["release-*"] }), untagged(2, 1), anyCap(3, 5)) },
      {},
      "PASS",
      [/keeps at most 8 tagged images with the 1 rule\(s\) before it/],
    ],
    [
      "no policy",
      { lifecyclePolicy: null },
      {},
      "FAIL",
      [/there is no lifecycle policy, so no rule expires untagged images within 1 day/, /such a rule would expire 2 untagged images today, freeing up to 1\.50 GiB \(\$0\.15\/month\)/, /no rule caps tagged images at 10/, /such a rule would expire 2 tagged images today, freeing up to 0\.50 GiB \(\$0\.05\/month\)/],
    ],
    [
      "the sandbox's weak policy: tagged release-* kept at 100",
      { lifecyclePolicy: policy(taggedCap(1, 100, { tagPatternList: ["release-*"] })) },
      {},
      "FAIL",
      [/no rule expires untagged images within 1 day\(s\) of push/, /rule 1 \(tagged release-\*, imageCountMoreThan 100, expire\) selects only tags matching release-\*/, /1\.50 GiB/, /0\.50 GiB/],
    ],
    ["an untagged rule looser than the setting", { lifecyclePolicy: policy(untagged(1, 14), anyCap(2, 10)) }, {}, "FAIL", [/expires untagged images only 14 days after push, more than the 1 allowed/, /expire 2 untagged images today, freeing up to 1\.50 GiB/]],
    ["an untagged rule that transitions instead of expiring", { lifecyclePolicy: policy(untagged(1, 1, "transition"), anyCap(2, 10)) }, {}, "FAIL", [/no rule expires untagged images/]],
    ["a cap looser than the setting", { lifecyclePolicy: policy(untagged(1, 1), anyCap(2, 30)) }, {}, "FAIL", [/keeps 30 tagged images, more than the 10 allowed/, /expire 2 tagged images today, freeing up to 0\.50 GiB/]],
    ["a tagPrefixList cap", { lifecyclePolicy: policy(untagged(1, 1), taggedCap(2, 10, { tagPrefixList: ["v"] })) }, {}, "FAIL", [/selects only tags starting with v/]],
    ["a tagPatternList other than ['*']", { lifecyclePolicy: policy(untagged(1, 1), taggedCap(2, 10, { tagPatternList: ["*", "prod*"] })) }, {}, "FAIL", [/selects only tags matching \*, prod\*/]],
    ["an `any` cap that is not the last rule", { lifecyclePolicy: policy(anyCap(1, 10), untagged(2, 1)) }, {}, "FAIL", [/has tagStatus any but is not the last rule/]],
    [
      "a cap behind an earlier tagged rule with a looser count",
      { lifecyclePolicy: policy(taggedCap(1, 100, { tagPatternList: ["release-*"] }), untagged(2, 1), anyCap(3, 10)) },
      {},
      "FAIL",
      [/rule 3 .* with the 1 rule\(s\) before it keeps up to 110 tagged images, more than the 10 allowed/],
    ],
    [
      "a cap behind an earlier tagged age rule",
      { lifecyclePolicy: policy(rule(1, { tagStatus: "tagged", tagPatternList: ["*"], countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }), untagged(2, 1), anyCap(3, 10)) },
      {},
      "FAIL",
      [/rule 3 .* cannot expire the images rule 1 \(tagged \*, sinceImagePushed 30 days, expire\) selects first/],
    ],
    ["the untagged setting raised to 14 days", { lifecyclePolicy: policy(untagged(1, 14), anyCap(2, 10)) }, { lifecycleUntaggedDays: 14 }, "PASS", [/14 day\(s\) after push/]],
    ["the tagged setting raised to 30 images", { lifecyclePolicy: policy(untagged(1, 1), anyCap(2, 30)) }, { lifecycleMaxTaggedImages: 30 }, "PASS", [/at most 30 tagged images/]],
    ["nothing to reclaim today", { lifecyclePolicy: policy(anyCap(2, 10)), images: [] }, {}, "FAIL", [/such a rule would expire nothing today/]],
    ["GetLifecyclePolicy denied", { lifecyclePolicy: null, readErrors: denied }, {}, "ERROR", [/ecr:GetLifecyclePolicy failed with AccessDeniedException/]],
    ["a policy that is not JSON", { lifecyclePolicy: "{" }, {}, "MANUAL", [/lifecycle policy is not valid JSON/]],
  ])("%s -> %s", (_, overrides, settings, status, reasons) => {
    const result = lifecycleCostRules.evaluate(repo(overrides), registry, context(settings));
    expect(result.status).toBe(status);
    for (const reason of reasons) expect(result.reason).toMatch(reason);
  });

  it("says the bytes are an upper bound and gives them as evidence", () => {
    const result = lifecycleCostRules.evaluate(repo(), registry, context());
    expect(result.reason).toMatch(/upper bound/);
    expect(result.evidence).toMatchObject({
      settings: { lifecycleUntaggedDays: 1, lifecycleMaxTaggedImages: 10 },
      reclaimable: { untagged: { bytes: 1.5 * GIB, images: 2 }, tagged: { bytes: 0.5 * GIB, images: 2 } },
    });
  });

  it("counts a layer shared with a kept image as not freed, exactly, when every manifest was read", () => {
    const base = { digest: "sha256:base", size: GIB, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" };
    const own = (n: number) => ({ digest: `sha256:own${n}`, size: GIB / 4, mediaType: base.mediaType });
    // Two old untagged images and one kept tagged image, all on the same 1 GiB base layer.
    const images = [
      { ...image(5, [], 1.25 * GIB), layers: [base, own(1)] },
      { ...image(6, [], 1.25 * GIB), layers: [base, own(2)] },
      { ...image(0.1, ["v1"], 1.25 * GIB), layers: [base, own(3)] },
    ];
    const result = lifecycleCostRules.evaluate(repo({ images, lifecyclePolicy: policy(anyCap(2, 10)) }), registry, context({ regionStoragePrices: { "us-east-1": 0.2 } }));
    expect(result.reason).toContain("such a rule would expire 2 untagged images today, freeing 0.50 GiB ($0.10/month)");
    expect(result.reason).not.toMatch(/upper bound/);
    expect(result.evidence).toMatchObject({ reclaimable: { untagged: { bytes: GIB / 2, images: 2, exact: true, monthlyUsd: 0.1 } } });
  });

  it("names only the missing rule when the other is there", () => {
    const result = lifecycleCostRules.evaluate(repo({ lifecyclePolicy: policy(untagged(1, 1)) }), registry, context());
    expect(result.reason).not.toMatch(/untagged images within/);
    expect(result.reason).toMatch(/no expire rule caps every tagged image at 10/);
    expect(result.evidence).toMatchObject({ untaggedRule: "rule 1 (untagged, sinceImagePushed 1 days, expire)", reclaimable: { tagged: { images: 2 } } });
    expect(result.evidence.reclaimable).not.toHaveProperty("untagged");
  });
});
