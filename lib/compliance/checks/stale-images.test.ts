import { describe, expect, it } from "vitest";
import type { ImageFacts, RepositoryFacts } from "../types";
import { staleImages } from "./stale-images";
import { checkContext, daysAgo, GIB, imageFacts, readErrors, registryFacts as registry, repositoryFacts as repo } from "./testing";

const ctx = checkContext();

let n = 0;
const image = (overrides: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({ digest: `sha256:${String(++n).padStart(64, "0")}`, sizeBytes: 4 * GIB, pushedAt: daysAgo(200), lastPulledAt: daysAgo(150), ...overrides });
// Three stale release images (12 GiB, above the 10 GiB default) and two in use.
const staleSet = () => [
  image({ tags: ["release-1.0"] }),
  image({ tags: ["release-1.1"], lastPulledAt: null }),
  image({ tags: ["release-1.2"], pushedAt: daysAgo(95), lastPulledAt: daysAgo(91) }),
  image({ tags: ["latest"], pushedAt: daysAgo(2), lastPulledAt: daysAgo(1) }),
  image({ tags: ["1.9"], pushedAt: daysAgo(300), lastPulledAt: daysAgo(10) }),
];
const policy = (...rules: object[]) => JSON.stringify({ rules: rules.map((r, i) => ({ rulePriority: i + 1, ...r })) });
const unpulled = (selection: object, countNumber = 90, action = "expire") => ({ selection: { ...selection, countType: "sinceImagePulled", countUnit: "days", countNumber }, action: { type: action } });
const keepTen = { selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } };

describe("stale-images", () => {
  it.each<[string, Partial<RepositoryFacts>, string, string]>([
    ["PASS: nothing stale", { images: [image({ pushedAt: daysAgo(5) }), image({ lastPulledAt: daysAgo(3) })] }, "PASS", "0 of 2 images (0.00 GiB, $0.00/month) neither pushed nor pulled in 90 days, within 10.00 GiB"],
    ["PASS: stale bytes within the threshold", { images: [image({ sizeBytes: 3 * GIB }), image({ sizeBytes: 3 * GIB }), image({ pushedAt: daysAgo(1) })] }, "PASS", "2 of 3 images (6.00 GiB, $0.60/month)"],
    ["PASS: a sinceImagePulled rule for any tag", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "any" })) }, "PASS", "3 of 5 images (12.00 GiB, $1.20/month) neither pushed nor pulled in 90 days, above 10.00 GiB, but lifecycle rule 1 expires them"],
    ["PASS: a tagged rule whose pattern takes the stale tags", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "tagged", tagPatternList: ["release-*"] }, 30)) }, "PASS", "lifecycle rule 1 expires them"],
    ["PASS: a tagged prefix rule", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "tagged", tagPrefixList: ["release"] })) }, "PASS", "lifecycle rule 1 expires them"],
    [
      "PASS: covered bytes leave the rest within the threshold",
      { images: [...staleSet(), image({ tags: [], sizeBytes: GIB })], lifecyclePolicy: policy(unpulled({ tagStatus: "tagged", tagPatternList: ["release-*"] })) },
      "PASS",
      "(1.00 GiB left uncovered)",
    ],
    ["PASS: the policy is not needed below the threshold", { images: [image()], readErrors: readErrors("GetLifecyclePolicy") }, "PASS", "1 of 1 images (4.00 GiB, $0.40/month)"],
    ["FAIL: no lifecycle policy", { images: staleSet() }, "FAIL", "3 of 5 images (12.00 GiB, $1.20/month) neither pushed nor pulled in 90 days, above 10.00 GiB, and no lifecycle policy"],
    ["FAIL: a sinceImagePulled rule longer than the window", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "any" }, 180)) }, "FAIL", "no sinceImagePulled expire rule covers them"],
    ["FAIL: a rule that archives instead of expiring", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "any" }, 90, "transition")) }, "FAIL", "no sinceImagePulled expire rule covers them"],
    ["FAIL: a higher-priority rule takes the images first", { images: staleSet(), lifecyclePolicy: policy(keepTen, unpulled({ tagStatus: "any" })) }, "FAIL", "no sinceImagePulled expire rule covers them"],
    ["FAIL: only untagged images covered", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "untagged" })) }, "FAIL", "no sinceImagePulled expire rule covers them"],
    [
      "FAIL: a tagged rule covering part of them",
      { images: [...staleSet(), image({ tags: ["nightly-7"], sizeBytes: 11 * GIB })], lifecyclePolicy: policy(unpulled({ tagStatus: "tagged", tagPatternList: ["release-*"] })) },
      "FAIL",
      "1 of them (11.00 GiB) not covered by a sinceImagePulled expire rule",
    ],
    ["FAIL: every tag pattern must match", { images: staleSet(), lifecyclePolicy: policy(unpulled({ tagStatus: "tagged", tagPatternList: ["release-*", "signed"] })) }, "FAIL", "no sinceImagePulled expire rule covers them"],
    ["FAIL: an unparseable policy covers nothing", { images: staleSet(), lifecyclePolicy: "{" }, "FAIL", "its lifecycle policy is not valid JSON"],
    ["ERROR: DescribeImages failed", { readErrors: readErrors("DescribeImages") }, "ERROR", "ecr:DescribeImages failed with AccessDeniedException"],
    ["ERROR: above the threshold and the policy unreadable", { images: staleSet(), readErrors: readErrors("GetLifecyclePolicy") }, "ERROR", "ecr:GetLifecyclePolicy failed"],
    ["NOT_APPLICABLE: no images", {}, "NOT_APPLICABLE", "no images"],
  ])("%s", (_label, overrides, status, reason) => {
    const result = staleImages.evaluate(repo(overrides), registry(), ctx);
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("uses the settings' window, threshold and price", () => {
    const settings = { staleImageDays: 30, maxStaleBytes: GIB, storagePricePerGbMonth: 0.5 };
    const result = staleImages.evaluate(repo({ images: [image({ pushedAt: daysAgo(40), lastPulledAt: null, sizeBytes: 2 * GIB })] }), registry(), checkContext({ settings }));
    expect(result).toMatchObject({ status: "FAIL", evidence: { staleCount: 1, staleBytes: 2 * GIB, monthlyUsd: 1 } });
    expect(result.reason).toContain("1 of 1 images (2.00 GiB, $1.00/month) neither pushed nor pulled in 30 days, above 1.00 GiB");
  });

  it("prices the stale bytes at the repository's region price when one is set", () => {
    const settings = { staleImageDays: 30, maxStaleBytes: GIB, storagePricePerGbMonth: 0.5, regionStoragePrices: { "us-east-1": 0.25 } };
    const result = staleImages.evaluate(repo({ region: "us-east-1", images: [image({ pushedAt: daysAgo(40), lastPulledAt: null, sizeBytes: 2 * GIB })] }), registry(), checkContext({ settings }));
    expect(result).toMatchObject({ status: "FAIL", evidence: { storagePricePerGbMonth: 0.25, monthlyUsd: 0.5 } });
    expect(result.reason).toContain("(2.00 GiB, $0.50/month)");
  });

  it("lists the largest uncovered images in the evidence, at most ten", () => {
    const images = Array.from({ length: 12 }, (_, i) => image({ sizeBytes: (i + 1) * GIB }));
    const evidence = staleImages.evaluate(repo({ images }), registry(), ctx).evidence as { largestUncovered: { sizeBytes: number }[]; uncoveredCount: number };
    expect(evidence.uncoveredCount).toBe(12);
    expect(evidence.largestUncovered.map((i) => i.sizeBytes / GIB)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });
});
