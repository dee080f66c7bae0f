import { describe, expect, it } from "vitest";
import { simulateLifecycle } from "./simulate";
import type { LifecycleImage, LifecyclePolicy, SimulationOptions } from "./types";
import { validateLifecyclePolicy } from "./validate-policy";

const AT = new Date("2026-11-28T12:00:00Z");
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(AT.getTime() - ms);
const OPTIONS: SimulationOptions = { at: AT, storageUsdPerGbMonth: 0.1, archiveUsdPerGbMonth: 0.01 };
const GIB = 1024 ** 3;

function image(name: string, tags: string[], pushedDaysAgo: number, extra: Partial<LifecycleImage> = {}): LifecycleImage {
  return { digest: `sha256:${name}`, tags, sizeBytes: 100, pushedAt: ago(pushedDaysAgo * DAY), lastPulledAt: null, ...extra };
}

function parse(document: unknown): LifecyclePolicy {
  const result = validateLifecyclePolicy(JSON.stringify(document));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const names = (images: LifecycleImage[], fate: string, policy: LifecyclePolicy, options = OPTIONS) =>
  simulateLifecycle(policy, images, options)
    .outcomes.filter((o) => o.fate === fate)
    .map((o) => o.image.digest.slice(7))
    .sort();

const expire = { type: "expire" };
const countRule = (rulePriority: number, selection: object, countNumber: number) => ({ rulePriority, description: `Rule ${rulePriority}`, selection: { ...selection, countType: "imageCountMoreThan", countNumber }, action: expire });

/**
 * AWS's worked examples, transcribed: "Examples of lifecycle policies in Amazon ECR"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html), whose
 * policies use tagPatternList; the archived guide (github.com/awsdocs/amazon-ecr-user-guide,
 * doc_source/lifecycle_policy_examples.md) gave the same examples with tagPrefixList, and the
 * same results. "Pushed: N days ago" is read as exactly N days before AT.
 */
const multipleRulesRepository = [image("A", ["beta-1", "prod-1"], 10), image("B", ["beta-2", "prod-2"], 9), image("C", ["beta-3"], 8)];
const multipleTagsRepositoryA = [
  image("A", ["alpha-1"], 12),
  image("B", ["beta-1"], 11),
  image("C", ["alpha-2", "beta-2"], 10),
  image("D", ["alpha-3"], 4),
  image("E", ["beta-3"], 3),
  image("F", ["alpha-4", "beta-4"], 2),
];
const multipleTagsRepositoryB = [image("A", ["alpha-1", "beta-1", "gamma-1"], 10), image("B", ["alpha-2", "beta-2"], 9), image("C", ["alpha-3", "beta-3", "gamma-2"], 8)];

const AWS_EXAMPLES: [string, LifecycleImage[], unknown, string[]][] = [
  [
    "Filtering on multiple rules, Example A: Rule 2 cannot expire Image B, which Rule 1 saw",
    multipleRulesRepository,
    { rules: [countRule(1, { tagStatus: "tagged", tagPatternList: ["prod*"] }, 1), countRule(2, { tagStatus: "tagged", tagPatternList: ["beta*"] }, 1)] },
    ["A"],
  ],
  [
    "Filtering on multiple rules, Example A (tagPrefixList)",
    multipleRulesRepository,
    { rules: [countRule(1, { tagStatus: "tagged", tagPrefixList: ["prod"] }, 1), countRule(2, { tagStatus: "tagged", tagPrefixList: ["beta"] }, 1)] },
    ["A"],
  ],
  [
    "Filtering on multiple rules, Example B: Rule 2 sees no image Rule 1 has not seen",
    multipleRulesRepository,
    { rules: [countRule(1, { tagStatus: "tagged", tagPatternList: ["beta*"] }, 1), countRule(2, { tagStatus: "tagged", tagPatternList: ["prod*"] }, 1)] },
    ["A", "B"],
  ],
  [
    "Filtering on multiple rules, Example B (tagPrefixList)",
    multipleRulesRepository,
    { rules: [countRule(1, { tagStatus: "tagged", tagPrefixList: ["beta"] }, 1), countRule(2, { tagStatus: "tagged", tagPrefixList: ["prod"] }, 1)] },
    ["A", "B"],
  ],
  [
    "Filtering on multiple tags in a single rule, Example A: only images with both tags, older than 5 days",
    multipleTagsRepositoryA,
    { rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", tagPatternList: ["alpha*", "beta*"], countType: "sinceImagePushed", countNumber: 5, countUnit: "days" }, action: expire }] },
    ["C"],
  ],
  [
    "Filtering on multiple tags in a single rule, Example A (tagPrefixList)",
    multipleTagsRepositoryA,
    { rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", tagPrefixList: ["alpha", "beta"], countType: "sinceImagePushed", countNumber: 5, countUnit: "days" }, action: expire }] },
    ["C"],
  ],
  [
    "Filtering on multiple tags in a single rule, Example B: tags are not exclusive",
    multipleTagsRepositoryB,
    { rules: [countRule(1, { tagStatus: "tagged", tagPatternList: ["alpha*", "beta*"] }, 1)] },
    ["A", "B"],
  ],
  [
    "Filtering on multiple tags in a single rule, Example B (tagPrefixList)",
    multipleTagsRepositoryB,
    { rules: [countRule(1, { tagStatus: "tagged", tagPrefixList: ["alpha", "beta"] }, 1)] },
    ["A", "B"],
  ],
  [
    "Filtering on all images, Example A: keep only the newest image",
    [image("A", ["alpha-1"], 4), image("B", ["beta-1"], 3), image("C", [], 2), image("D", ["alpha-2"], 1)],
    { rules: [countRule(1, { tagStatus: "any" }, 1)] },
    ["A", "B", "C"],
  ],
  [
    // D and E are both "1 day ago"; E is listed (and taken as pushed) after D, so it is the newest image Rule 3 keeps.
    "Filtering on all images, Example B: Rule 3 counts every image but may only expire D",
    [image("A", ["alpha-1", "beta-1"], 4), image("B", [], 3), image("C", ["alpha-2"], 2), image("D", ["git hash"], 1, { pushedAt: ago(DAY + HOUR) }), image("E", [], 1)],
    {
      rules: [
        countRule(1, { tagStatus: "tagged", tagPatternList: ["alpha*"] }, 1),
        { rulePriority: 2, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: expire },
        countRule(3, { tagStatus: "any" }, 1),
      ],
    },
    ["A", "B", "D"],
  ],
];

describe("simulateLifecycle agrees with AWS's documented examples", () => {
  it.each(AWS_EXAMPLES)("%s", (_name, images, document, expired) => {
    expect(names(images, "expire", parse(document))).toEqual(expired);
  });

  it("Filtering on all images, Example B: each image is decided by the first rule that identified it", () => {
    const [a, b, c, d, e] = AWS_EXAMPLES[9][1];
    const result = simulateLifecycle(parse(AWS_EXAMPLES[9][2]), AWS_EXAMPLES[9][1], OPTIONS);
    expect(result.outcomes.map((o) => [o.image, o.fate, o.rulePriority])).toEqual([
      [a, "expire", 1],
      [b, "expire", 2],
      [c, "keep", 1],
      [d, "expire", 3],
      [e, "keep", 2],
    ]);
    expect(result.rules).toEqual([
      { rulePriority: 1, selected: 2, expired: 1, transitioned: 0, bytes: 100 },
      { rulePriority: 2, selected: 2, expired: 1, transitioned: 0, bytes: 100 },
      { rulePriority: 3, selected: 1, expired: 1, transitioned: 0, bytes: 100 },
    ]);
  });

  // The examples below give a policy and what it does in words, not a repository: the repositories are ours.
  it("Filtering on image age: expires images tagged prod* older than 14 days, nothing else", () => {
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", tagPatternList: ["prod*"], countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: expire }] });
    const images = [image("old-prod", ["production-team1"], 20), image("new-prod", ["prod"], 3), image("old-dev", ["dev-1"], 30), image("old-untagged", [], 30), image("day14", ["prod1"], 14)];
    expect(names(images, "expire", policy)).toEqual(["old-prod"]);
  });

  it("Filtering on image count: keeps only one untagged image", () => {
    const policy = parse({ rules: [countRule(1, { tagStatus: "untagged" }, 1)] });
    const images = [image("u1", [], 3), image("u2", [], 2), image("u3", [], 1), image("t", ["v1"], 9)];
    expect(names(images, "expire", policy)).toEqual(["u1", "u2"]);
  });

  it("Filtering on last pulled time: archives images not pulled in 90 days (never pulled: pushed 90 days ago)", () => {
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 90 }, action: { type: "transition", targetStorageClass: "archive" } }] });
    const images = [
      image("pulled-long-ago", ["a"], 200, { lastPulledAt: ago(120 * DAY) }),
      image("pulled-lately", ["b"], 200, { lastPulledAt: ago(10 * DAY) }),
      image("never-pulled-old", [], 100),
      image("never-pulled-new", ["c"], 20),
      // Restored from archive 30 days ago and not pulled since: the restore starts the clock again.
      image("restored", ["d"], 300, { lastPulledAt: ago(200 * DAY), transitionedAt: ago(30 * DAY), storageClass: "STANDARD" }),
      image("already-archived", ["e"], 300, { storageClass: "ARCHIVE", transitionedAt: ago(10 * DAY) }),
    ];
    expect(names(images, "transition", policy)).toEqual(["never-pulled-old", "pulled-long-ago"]);
  });

  it("Combining archive and expire rules: archives standard images older than 30 days, expires images archived more than 365 days ago", () => {
    const policy = parse({
      rules: [
        { rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "transition", targetStorageClass: "archive" } },
        { rulePriority: 2, selection: { tagStatus: "any", storageClass: "archive", countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365 }, action: expire },
      ],
    });
    const images = [
      image("recent", ["v3"], 5),
      image("old", ["v2"], 60),
      image("archived-long-ago", ["v1"], 900, { storageClass: "ARCHIVE", transitionedAt: ago(400 * DAY) }),
      image("archived-lately", ["v0"], 900, { storageClass: "ARCHIVE", transitionedAt: ago(100 * DAY) }),
      image("archived-when-unknown", ["v-1"], 900, { storageClass: "ARCHIVE", transitionedAt: null }),
    ];
    const result = simulateLifecycle(policy, images, OPTIONS);
    expect(result.outcomes.map((o) => `${o.image.digest.slice(7)}:${o.fate}:${o.rulePriority}`)).toEqual([
      "recent:keep:1",
      "old:transition:1",
      "archived-long-ago:expire:2",
      "archived-lately:keep:2",
      "archived-when-unknown:keep:2",
    ]);
  });
});

describe("simulateLifecycle", () => {
  const keepTen = parse({ rules: [countRule(1, { tagStatus: "tagged", tagPatternList: ["release-*"] }, 1), countRule(2, { tagStatus: "any" }, 1)] });

  it("protects an image a higher-priority rule identified and kept from every later rule", () => {
    const images = [image("r1", ["release-1"], 3), image("r2", ["release-2"], 2), image("x", ["x"], 1)];
    // Rule 2 keeps only x (the newest); release-2 is beyond its count but was Rule 1's to decide.
    expect(names(images, "expire", keepTen)).toEqual(["r1"]);
  });

  it("treats a pattern without * as the exact tag, and * as any run of characters", () => {
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "tagged", tagPatternList: ["latest", "*-rc*"], countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: expire }] });
    const images = [image("both", ["latest", "1.0-rc2"], 5), image("latest-only", ["latest"], 5), image("near", ["latest2", "2.0-rc1"], 5)];
    expect(names(images, "expire", policy)).toEqual(["both"]);
  });

  it("expires only images strictly older than countNumber days", () => {
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: expire }] });
    expect(names([image("exactly", [], 7), image("older", [], 7, { pushedAt: ago(7 * DAY + 1) })], "expire", policy)).toEqual(["older"]);
  });

  it("selects archived images only with storageClass archive", () => {
    const images = [image("archived", [], 500, { storageClass: "ARCHIVE", transitionedAt: ago(200 * DAY) }), image("standard", [], 1)];
    const everything = parse({ rules: [countRule(1, { tagStatus: "any" }, 1)] });
    expect(names(images, "expire", everything)).toEqual([]);
  });

  it("does not depend on the order of the images", () => {
    const images = [image("a", ["x"], 3), image("b", ["x"], 3), image("c", ["x"], 3), image("d", ["x"], 1)];
    const policy = parse({ rules: [countRule(1, { tagStatus: "any" }, 2)] });
    expect(names([...images].reverse(), "expire", policy)).toEqual(names(images, "expire", policy));
  });

  it("counts each freed layer once, and none a kept image still uses", () => {
    const base = { digest: "sha256:base", size: 1000 };
    const images = [
      image("old1", [], 10, { sizeBytes: 1300, layers: [base, { digest: "sha256:l1", size: 300 }] }),
      image("old2", [], 9, { sizeBytes: 1300, layers: [base, { digest: "sha256:l1", size: 300 }] }),
      image("old3", [], 8, { sizeBytes: 1500, layers: [base, { digest: "sha256:l3", size: 500 }] }),
      image("kept", ["v1"], 1, { sizeBytes: 1200, layers: [base, { digest: "sha256:l4", size: 200 }] }),
      // Never read: a signature's null layers leave the figure exact, and it counts its size.
      image("sig", [], 9, { sizeBytes: 40, layers: null, layersReadable: false }),
    ];
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 2 }, action: expire }] });
    const { totals } = simulateLifecycle(policy, images, OPTIONS);
    expect(totals).toMatchObject({ images: 5, kept: 1, expired: 4, expiredImageBytes: 4140, freedBytes: 300 + 500 + 40, freedBytesExact: true });
  });

  it("falls back to the images' sizes when a container image's layers are unknown", () => {
    const images = [image("old", [], 10, { sizeBytes: 1300, layers: [{ digest: "sha256:base", size: 1000 }] }), image("unread", ["v1"], 1, { sizeBytes: 900, layers: null })];
    const policy = parse({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 2 }, action: expire }] });
    expect(simulateLifecycle(policy, images, OPTIONS).totals).toMatchObject({ freedBytes: 1300, freedBytesExact: false });
  });

  it("prices freed standard storage, archive storage taken and archive storage given back", () => {
    const images = [
      image("expired", [], 40, { sizeBytes: 4 * GIB, layers: [{ digest: "sha256:e", size: 4 * GIB }] }),
      image("moved", ["v1"], 40, { sizeBytes: 2 * GIB, layers: [{ digest: "sha256:m", size: 2 * GIB }] }),
      image("gone-from-archive", ["v0"], 900, { sizeBytes: 10 * GIB, storageClass: "ARCHIVE", transitionedAt: ago(400 * DAY) }),
    ];
    const policy = parse({
      rules: [
        { rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: expire },
        { rulePriority: 2, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "transition", targetStorageClass: "archive" } },
        { rulePriority: 3, selection: { tagStatus: "any", storageClass: "archive", countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365 }, action: expire },
      ],
    });
    const { totals, rules } = simulateLifecycle(policy, images, OPTIONS);
    expect(totals).toMatchObject({ expired: 2, transitioned: 1, freedBytes: 6 * GIB, transitionedBytes: 2 * GIB, archiveExpiredBytes: 10 * GIB, expiredImageBytes: 14 * GIB });
    // 6 GiB of standard at $0.10, plus 10 GiB of archive at $0.01 given back, minus 2 GiB of archive at $0.01 taken.
    expect(totals.monthlyUsdSaved).toBeCloseTo(0.6 + 0.1 - 0.02, 10);
    expect(rules.map((r) => [r.rulePriority, r.expired, r.transitioned, r.bytes])).toEqual([
      [1, 1, 0, 4 * GIB],
      [2, 0, 1, 2 * GIB],
      [3, 1, 0, 10 * GIB],
    ]);
  });

  it("orders a restored image by when it was restored", () => {
    const images = [image("restored", ["a"], 400, { transitionedAt: ago(1 * DAY) }), image("newer", ["b"], 5)];
    expect(names(images, "expire", parse({ rules: [countRule(1, { tagStatus: "any" }, 1)] }))).toEqual(["newer"]);
  });

  it("refuses an invalid evaluation time rather than keeping everything silently", () => {
    expect(() => simulateLifecycle(keepTen, [], { ...OPTIONS, at: new Date(Number.NaN) })).toThrow(/options.at/);
  });
});
