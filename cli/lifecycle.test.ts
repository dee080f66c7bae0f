import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig } from "@/lib/sandbox/organization";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { DEFAULT_COMPLIANCE_THRESHOLDS } from "@/lib/settings";
import { portwatch } from "@/test/cli";
import { awsEnvironment } from "@/test/collector";
import { createTestDatabase } from "@/test/database";

// `portwatch lifecycle preview` as a user runs it: on a DescribeImages file, and on a collected repository.

let dir: string;
const file = (name: string) => path.join(dir, name);
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const AT = "2026-11-28T12:00:00Z";
const DAY = 86_400;
const atSeconds = Date.parse(AT) / 1000;

const POLICY = {
  rules: [
    { rulePriority: 1, description: "Keep two releases", selection: { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 2 }, action: { type: "expire" } },
    { rulePriority: 2, description: "Untagged after a week", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } },
    { rulePriority: 3, selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 30 }, action: { type: "transition", targetStorageClass: "archive" } },
  ],
};

// DescribeImages' wire format: epoch seconds, fractional where ECR has milliseconds.
const IMAGES = {
  imageDetails: [
    { imageDigest: digest(1), imageTags: ["release-1"], imageSizeInBytes: 50 * 2 ** 20, imagePushedAt: atSeconds - 300 * DAY + 0.25 },
    { imageDigest: digest(2), imageTags: ["release-2"], imageSizeInBytes: 50 * 2 ** 20, imagePushedAt: atSeconds - 200 * DAY, lastRecordedPullTime: atSeconds - DAY + 0.5 },
    { imageDigest: digest(3), imageTags: ["release-3"], imageSizeInBytes: 50 * 2 ** 20, imagePushedAt: atSeconds - DAY },
    { imageDigest: digest(4), imageSizeInBytes: 10 * 2 ** 20, imagePushedAt: atSeconds - 8 * DAY },
    { imageDigest: digest(5), imageTags: ["nightly"], imageSizeInBytes: 20 * 2 ** 20, imagePushedAt: atSeconds - 90 * DAY, lastRecordedPullTime: atSeconds - 31 * DAY },
    { imageDigest: digest(6), imageTags: ["old"], imageSizeInBytes: 20 * 2 ** 20, imagePushedAt: atSeconds - 500 * DAY, imageStatus: "ARCHIVED", lastArchivedAt: atSeconds - 100 * DAY },
  ],
};

interface Preview {
  policy: { rules: unknown[] };
  at: string;
  images: { digest: string; tags: string[]; fate: string; rulePriority: number | null; sizeBytes: number; pushedAt: string; lastPulledAt: string | null }[];
  rules: { rulePriority: number; selected: number; expired: number; transitioned: number; bytes: number }[];
  totals: { images: number; kept: number; expired: number; transitioned: number; freedBytes: number; freedBytesExact: boolean; expiredImageBytes: number; monthlyUsdSaved: number };
  prices: { storageUsdPerGbMonth: number; archiveUsdPerGbMonth: number };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-lifecycle-"));
  await writeFile(file("policy.json"), JSON.stringify(POLICY, null, 2));
  await writeFile(file("images.json"), JSON.stringify(IMAGES));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("portwatch lifecycle preview --images", () => {
  // No DATABASE_URL: the file alone is enough, priced at the default rates.
  const offline = {};

  it("prints every image's fate, the rules' totals and the saving as JSON", async () => {
    const run = await portwatch(["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--at", AT, "--format", "json"], offline);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const preview = JSON.parse(run.stdout) as Preview;
    expect(preview.at).toBe("2026-11-28T12:00:00.000Z");
    expect(preview.policy).toEqual(POLICY);
    expect(preview.images.map((i) => [i.digest.slice(-1), i.fate, i.rulePriority])).toEqual([
      ["1", "expire", 1],
      ["2", "keep", 1],
      ["3", "keep", 1],
      ["4", "expire", 2],
      ["5", "transition", 3],
      // Archived: only a rule with storageClass archive may select it.
      ["6", "keep", null],
    ]);
    expect(preview.images[0]).toEqual({ digest: digest(1), tags: ["release-1"], fate: "expire", rulePriority: 1, sizeBytes: 50 * 2 ** 20, pushedAt: "2026-02-01T12:00:00.250Z", lastPulledAt: null, storageClass: "STANDARD" });
    expect(preview.images[1].lastPulledAt).toBe("2026-11-27T12:00:00.500Z");
    expect(preview.rules).toEqual([
      { rulePriority: 1, selected: 3, expired: 1, transitioned: 0, bytes: 50 * 2 ** 20, description: "Keep two releases", action: "expire" },
      { rulePriority: 2, selected: 1, expired: 1, transitioned: 0, bytes: 10 * 2 ** 20, description: "Untagged after a week", action: "expire" },
      { rulePriority: 3, selected: 1, expired: 0, transitioned: 1, bytes: 20 * 2 ** 20, description: null, action: "transition" },
    ]);
    expect(preview.prices).toEqual({ storageUsdPerGbMonth: 0.1, archiveUsdPerGbMonth: 0.1 });
    // DescribeImages has no layers: the freed bytes are the images' sizes, an upper bound.
    expect(preview.totals).toMatchObject({ images: 6, kept: 3, expired: 2, transitioned: 1, freedBytes: 80 * 2 ** 20, freedBytesExact: false });
    // Archive costs what standard storage does by default: only the expired bytes save.
    expect(preview.totals.monthlyUsdSaved).toBeCloseTo((80 / 1024) * 0.1 - (20 / 1024) * 0.1, 10);
  });

  it("prints a table with one line per image, then the totals", async () => {
    const run = await portwatch(["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--at", AT], offline);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^FATE\s+RULE\s+DIGEST\s+SIZE\s+PUSHED\s+TAGS$/);
    expect(lines[1]).toMatch(/^expire\s+1\s+sha256:000000000000\s+50\.0 MiB\s+2026-02-01 12:00\s+release-1$/);
    expect(lines[4]).toMatch(/^expire\s+2\s+sha256:000000000000\s+10\.0 MiB\s+2026-11-20 12:00\s+<untagged>$/);
    expect(lines[5]).toMatch(/^transition\s+3\s.+nightly$/);
    expect(lines[6]).toMatch(/^keep\*\s+-\s.+old$/);
    expect(run.stdout).toContain("Rule 1 (Keep two releases): selected 3, 1 expired, 50.0 MiB");
    expect(run.stdout).toContain("6 images: 2 expire, 1 move to archive, 3 keep.");
    expect(run.stdout).toMatch(/Standard storage freed: 80\.0 MiB \(an upper bound/);
    expect(run.stdout).toContain("Saving: $0.01/month at $0.1/GB-month standard, $0.1/GB-month archive; ages as of 2026-11-28T12:00:00.000Z.");
  });

  it("exits 1 and lists every error of an invalid policy on stderr", async () => {
    const invalid = {
      rules: [
        { rulePriority: "1", selection: { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 0 }, action: { type: "expire" } },
        { rulePriority: 2, selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 30 }, action: { type: "expire" } },
        { rulePriority: 3, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "weeks", countNumber: 3 }, action: { type: "delete" } },
      ],
    };
    await writeFile(file("invalid.json"), JSON.stringify(invalid));
    const run = await portwatch(["lifecycle", "preview", "--policy", file("invalid.json"), "--images", file("images.json")], offline);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      `portwatch: the lifecycle policy in ${file("invalid.json")} is not one ECR would accept (7 errors):`,
      '  rules[0].rulePriority: must be an integer, not a string ("1")',
      "  rules[0].selection: needs a tagPatternList or a tagPrefixList when tagStatus is tagged",
      "  rules[0].selection.countNumber: must be at least 1, not 0",
      expect.stringMatching(/^ {2}rules\[1\]\.action\.type: must be transition when countType is sinceImagePulled/),
      '  rules[2].selection.countUnit: must be "days" (the only unit ECR has), not a string ("weeks")',
      '  rules[2].action.type: must be one of expire, transition, not "delete"',
      expect.stringMatching(/^ {2}rules\[1\]\.rulePriority: must be the highest of the rules selecting standard images because tagStatus is any/),
    ]);
  });

  it("reads get-lifecycle-policy's output, whose policy is a string", async () => {
    await writeFile(file("get-lifecycle-policy.json"), JSON.stringify({ registryId: "111111111111", repositoryName: "team/api", lifecyclePolicyText: JSON.stringify(POLICY), lastEvaluatedAt: atSeconds }));
    const run = await portwatch(["lifecycle", "preview", "--policy", file("get-lifecycle-policy.json"), "--images", file("images.json"), "--at", AT, "--format", "json"], offline);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Preview).totals).toMatchObject({ expired: 2, transitioned: 1 });
  });

  it("names each bad entry of the images file", async () => {
    const bad = { imageDetails: [IMAGES.imageDetails[0], { ...IMAGES.imageDetails[1], imagePushedAt: "last tuesday" }, { ...IMAGES.imageDetails[2], imageDigest: 3 }, { ...IMAGES.imageDetails[3], imageStatus: "GONE" }] };
    await writeFile(file("bad-images.json"), JSON.stringify(bad));
    const run = await portwatch(["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("bad-images.json")], offline);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      `portwatch: --images ${file("bad-images.json")} is not DescribeImages output (3 errors):`,
      '  imageDetails[1].imagePushedAt: is not a date (an ISO 8601 string or epoch seconds), it is "last tuesday"',
      "  imageDetails[2].imageDigest: must be an image digest such as sha256:<hex>, not 3",
      '  imageDetails[3].imageStatus: must be one of ACTIVE, ARCHIVED, ACTIVATING, not "GONE"',
    ]);
  });

  it("refuses bad options and files in one line", { timeout: 60_000 }, async () => {
    await writeFile(file("not-json.json"), "{ imageDetails: ");
    const cases = [
      [["lifecycle"], /lifecycle: missing the subcommand: use portwatch lifecycle preview/],
      [["lifecycle", "apply", "--policy", "x"], /unknown subcommand "apply"/],
      [["lifecycle", "preview", "--policy", file("policy.json")], /either --images FILE or --repository ARN/],
      [["lifecycle", "preview", "--images", file("images.json")], /--policy FILE is required with --images/],
      [["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--at", "yesterday"], /--at must be an ISO 8601 date or time .*not "yesterday"/],
      [["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--format", "csv"], /--format must be table or json, not "csv"/],
      [["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--region", "mars-1"], /--region must be an AWS region/],
      [["lifecycle", "preview", "--policy", file("missing.json"), "--images", file("images.json")], /--policy .*missing\.json: no such file/],
      [["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("not-json.json")], /--images .*not-json\.json is not JSON/],
      [["lifecycle", "preview", "--repository", "arn:aws:ecr:us-east-1:12:repository/x"], /--repository must be a repository ARN such as arn:aws:ecr:us-east-1:111111111111:repository\/team\/api/],
    ] as const;
    // In parallel: each case is a process of its own, mostly start-up.
    const runs = await Promise.all(cases.map(([args]) => portwatch([...args], { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" })));
    runs.forEach((run, i) => {
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(cases[i][1])]);
    });
  });

  it("explains itself with --help", async () => {
    const run = await portwatch(["lifecycle", "preview", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: portwatch lifecycle preview --policy FILE \[--images FILE \| --repository ARN\]/);
  });
});

describe("portwatch lifecycle preview --repository", () => {
  let demo: RunningSandbox;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  let client: pg.Client;

  beforeAll(async () => {
    demo = await startSandbox(sandboxOptions("demo"));
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, ...awsEnvironment(demo) };
    await writeFile(file("demo.json"), JSON.stringify(accountsConfig(demo.organization)));
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await demo?.close();
    await db?.drop();
  });

  const arnOf = (accountId: string, name: string) => `arn:aws:ecr:us-east-1:${accountId}:repository/${name}`;

  it("says when nothing has been collected yet", async () => {
    const run = await portwatch(["lifecycle", "preview", "--repository", arnOf("111111111111", "team/api")], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing has been collected yet: run portwatch collect first/);
  });

  it("previews a collected repository's own policy over its images, priced for its region", { timeout: 120_000 }, async () => {
    const account = demo.organization.accounts[0].id;
    const collect = await portwatch(["collect", "--config", file("demo.json"), "--account", account, "--region", "us-east-1"], env);
    expect(collect.code).toBe(0);

    // The sandbox's "good" policy: untagged images expire a day after push, then the newest 10 images are kept.
    const { rows } = await client.query<{ arn: string; lifecyclePolicy: string }>(
      `SELECT "arn", "lifecyclePolicy" FROM "Repository" WHERE "validTo" IS NULL AND "lifecyclePolicy" LIKE '%"countNumber":10%' AND "imageCount" > 12 ORDER BY "arn" LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    const arn = rows[0].arn;
    const thresholds = { ...DEFAULT_COMPLIANCE_THRESHOLDS, regionStoragePrices: ["us-east-1=0.12"], archivePricePerGbMonth: 0.02 };
    await client.query(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('complianceThresholds', $1, now())`, [JSON.stringify(thresholds)]);

    const run = await portwatch(["lifecycle", "preview", "--repository", arn, "--format", "json"], env);
    expect(run.code).toBe(0);
    const preview = JSON.parse(run.stdout) as Preview;
    expect(preview.prices).toEqual({ storageUsdPerGbMonth: 0.12, archiveUsdPerGbMonth: 0.02 });
    expect(preview.policy).toEqual(JSON.parse(rows[0].lifecyclePolicy));

    const images = await client.query<{ digest: string; tags: string[]; pushedAt: Date; layers: unknown }>(
      `SELECT "digest", "tags", "pushedAt", "layers" FROM "Image" WHERE "repositoryArn" = $1 AND "validTo" IS NULL ORDER BY "pushedAt" DESC, "digest"`,
      [arn],
    );
    expect(preview.images.map((i) => i.digest)).toEqual(images.rows.map((i) => i.digest));
    // The same decisions worked out by hand from AWS's rules: rule 1 decides the untagged images,
    // rule 2 keeps the newest 10 of all images (untagged ones count, but are rule 1's to decide).
    const at = Date.parse(preview.at);
    const expected = images.rows.map((image, rank) =>
      image.tags.length === 0 ? ["expire", "keep"][at - image.pushedAt.getTime() > 86_400_000 ? 0 : 1] + ":1" : `${rank >= 10 ? "expire" : "keep"}:2`,
    );
    expect(preview.images.map((i) => `${i.fate}:${i.rulePriority}`)).toEqual(expected);
    expect(preview.totals.expired).toBeGreaterThan(0);
    // The collector read every container image's layers (signatures have none to read).
    expect(preview.totals.freedBytesExact).toBe(true);
    expect(preview.totals.freedBytes).toBeGreaterThan(0);
    expect(preview.totals.freedBytes).toBeLessThan(preview.totals.expiredImageBytes);

    // A proposed policy instead of the repository's own; and a file of images priced by the same settings.
    const [proposed, fromFile] = await Promise.all([
      portwatch(["lifecycle", "preview", "--repository", arn, "--policy", file("policy.json"), "--format", "json"], env),
      portwatch(["lifecycle", "preview", "--images", file("images.json"), "--policy", file("policy.json"), "--region", "us-east-1", "--format", "json"], env),
    ]);
    expect(proposed.code).toBe(0);
    expect((JSON.parse(proposed.stdout) as Preview).policy).toEqual(POLICY);
    expect(fromFile.code).toBe(0);
    expect((JSON.parse(fromFile.stdout) as Preview).prices).toEqual({ storageUsdPerGbMonth: 0.12, archiveUsdPerGbMonth: 0.02 });
  });

  it("names an ARN the latest collection does not hold", async () => {
    const arn = arnOf(demo.organization.accounts[0].id, "no/such-repository");
    const run = await portwatch(["lifecycle", "preview", "--repository", arn], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`repository ${arn} is not in the latest collection \\(run #1\\)`));
  });
});
