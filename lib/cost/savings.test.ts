import { describe, expect, it } from "vitest";
import { ACCOUNT, COSIGN_SIGNATURE, daysAgo, digestOf, GIB, imageFacts, NOW, readErrors, registryFacts, repositoryFacts } from "@/lib/compliance/checks/testing";
import { DEFAULT_COMPLIANCE_SETTINGS, type ImageFacts, type RepositoryFacts } from "@/lib/compliance/types";
import { rankSavings, registrySavings, repositorySavings, type Saving, SAVING_KINDS, totalMonthlyUsd } from "./savings";

const SETTINGS = { ...DEFAULT_COMPLIANCE_SETTINGS, regionStoragePrices: { "eu-central-1": 0.2 } };
const MIB = 1024 ** 2;
const LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

const layer = (name: string, size: number) => ({ digest: `sha256:${name}`, size, mediaType: LAYER_TYPE });
const base = layer("base", 100 * MIB);

/** An image with a shared base layer and its own app layer of `appMib`. */
function image(n: number, { tags = [`v${n}`], pushed = 1, pulled = null as number | null, appMib = 10, layers = [base, layer(`app${n}`, appMib * MIB)] } = {}): ImageFacts {
  return imageFacts({ digest: digestOf(n), tags, pushedAt: daysAgo(pushed), lastPulledAt: pulled === null ? null : daysAgo(pulled), sizeBytes: layers.reduce((s, l) => s + l.size, 0), layers });
}

const GOOD = JSON.stringify({
  rules: [
    { rulePriority: 1, description: "untagged", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } },
    { rulePriority: 2, description: "keep ten", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } },
  ],
});
const UNTAGGED_AFTER_30 = JSON.stringify({
  rules: [{ rulePriority: 1, description: "Expire untagged images after 30 days", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "expire" } }],
});

const repo = (images: ImageFacts[], overrides: Partial<RepositoryFacts> = {}) => repositoryFacts({ images, ...overrides });
const savingsOf = (repository: RepositoryFacts) => repositorySavings(repository, registryFacts(), NOW, SETTINGS);
const byKind = (savings: Saving[]) => Object.fromEntries(savings.map((s) => [s.kind, s]));
const usdOf = (bytes: number, price = 0.1) => (bytes / GIB) * price;

describe("repositorySavings", () => {
  it("without a policy: adopting COST-01's policy frees the old untagged images and all but the newest 10, counted once with the untagged row inside it", () => {
    // 12 tagged images pushed 1..12 days ago, 3 untagged ones pushed 20..22 days ago.
    const tagged = Array.from({ length: 12 }, (_, i) => image(i + 1, { pushed: i + 1 }));
    const untagged = [20, 21, 22].map((d, i) => image(100 + i, { tags: [], pushed: d, appMib: 40 }));
    const savings = byKind(savingsOf(repo([...tagged, ...untagged])));
    // The policy expires the 3 untagged and the 2 oldest tagged: their app layers (the base stays in use).
    const policyBytes = 3 * 40 * MIB + 2 * 10 * MIB;
    expect(savings["lifecycle-policy"]).toMatchObject({ images: 5, bytes: policyBytes, bytesExact: true, counted: true });
    expect(savings["lifecycle-policy"].monthlyUsd).toBeCloseTo(usdOf(policyBytes), 9);
    expect(savings["lifecycle-policy"].method).toMatch(/there is no lifecycle policy/);
    expect(savings["untagged-images"]).toMatchObject({ images: 3, bytes: 3 * 40 * MIB, counted: false });
    expect(savings["untagged-images"].details.notCountedBecause).toMatch(/Adopt the COST-01/);
    expect(savings["stale-images"]).toBeUndefined();
  });

  it("subtracts what the current policy already frees, and takes its expirations out of the other actions", () => {
    // The current policy expires untagged images after 30 days (COST-01 wants 1): it frees image 100 (40 days old).
    const images = [image(1, { pushed: 1 }), image(100, { tags: [], pushed: 40, appMib: 30 }), image(101, { tags: [], pushed: 5, appMib: 20 })];
    const savings = byKind(savingsOf(repo(images, { lifecyclePolicy: UNTAGGED_AFTER_30 })));
    expect(savings["lifecycle-policy"]).toMatchObject({ images: 1, bytes: 20 * MIB });
    expect(savings["lifecycle-policy"].method).toMatch(/current policy already frees 0\.03 GiB/);
    // Image 100 is the current policy's to expire: not counted again as an untagged saving.
    expect(savings["untagged-images"]).toMatchObject({ images: 1, bytes: 20 * MIB });
    expect(savingsOf(repo(images, { lifecyclePolicy: UNTAGGED_AFTER_30 })).filter((s) => s.counted)).toHaveLength(1);
  });

  it("a compliant policy leaves only the stale images among what it keeps, freed layer by layer", () => {
    // Five tagged images untouched for 200 days; a fresh image shares their base layer, so it is not freed.
    const stale = Array.from({ length: 5 }, (_, i) => image(i + 1, { pushed: 200 + i, pulled: 150 }));
    const fresh = image(9, { pushed: 1 });
    const savings = savingsOf(repo([...stale, fresh], { lifecyclePolicy: GOOD }));
    expect(savings.map((s) => s.kind)).toEqual(["stale-images"]);
    expect(savings[0]).toMatchObject({ images: 5, bytes: 5 * 10 * MIB, counted: true });
    expect(savings[0].method).toMatch(/5 images neither pushed nor pulled in 90 days that the current policy keeps/);
  });

  it("counts the stale images' shared base once when nothing kept uses it", () => {
    const stale = Array.from({ length: 3 }, (_, i) => image(i + 1, { pushed: 300, pulled: null }));
    const [saving] = savingsOf(repo(stale, { lifecyclePolicy: GOOD }));
    expect(saving).toMatchObject({ kind: "stale-images", bytes: 100 * MIB + 3 * 10 * MIB });
    // Less than the images' summed sizes, which count the base three times.
    expect(saving.bytes).toBeLessThan(stale.reduce((n, i) => n + i.sizeBytes, 0));
  });

  it("prices at the repository's region", () => {
    const images = [image(1, { tags: [], pushed: 10 })];
    const [saving] = savingsOf(repo(images, { region: "eu-central-1", arn: `arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/team/orders-api` }));
    expect(saving.monthlyUsd).toBeCloseTo(usdOf(saving.bytes, 0.2), 9);
    expect(saving.method).toMatch(/\$0\.20 per GB-month/);
  });

  it("marks bytes as an upper bound when an image's layers were not read", () => {
    const images = [image(1, { tags: [], pushed: 10 }), { ...image(2, { pushed: 1 }), layers: null }];
    const [saving] = savingsOf(repo(images));
    expect(saving.bytesExact).toBe(false);
  });

  it("a current policy that does not validate is taken to free nothing, and says why", () => {
    const images = [image(1, { tags: [], pushed: 10 })];
    const invalid = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 0 }, action: { type: "expire" } }] });
    const savings = byKind(savingsOf(repo(images, { lifecyclePolicy: invalid })));
    expect(savings["lifecycle-policy"].method).toMatch(/could not be simulated/);
    expect(savings["lifecycle-policy"].details.currentPolicyProblem).toEqual(expect.any(String));
    expect(savings["lifecycle-policy"].bytes).toBe(110 * MIB);
  });

  it.each([
    ["the lifecycle policy could not be read", { readErrors: readErrors("GetLifecyclePolicy") }],
    ["the images could not be read", { readErrors: readErrors("DescribeImages") }],
  ])("claims nothing when %s", (_label, overrides) => {
    expect(savingsOf(repo([image(1, { tags: [], pushed: 400 })], overrides))).toEqual([]);
  });

  it("lists an oversized latest image with its size and no dollar figure, outside the total", () => {
    const big = image(1, { pushed: 1, layers: [layer("huge", 2 * GIB)] });
    const signature = imageFacts({ digest: digestOf(2), tags: [`sha256-${"1".repeat(64)}.sig`], artifactMediaType: COSIGN_SIGNATURE, pushedAt: daysAgo(0), sizeBytes: 1_400 });
    const [saving] = savingsOf(repo([big, signature], { lifecyclePolicy: GOOD }));
    expect(saving).toMatchObject({ kind: "oversized-image", images: 1, bytes: 2 * GIB, monthlyUsd: null, counted: false, details: { excessBytes: GIB } });
    expect(saving.method).toMatch(/not quantified/);
  });

  it("claims nothing for an empty repository or one whose policy already does everything", () => {
    expect(savingsOf(repo([]))).toEqual([]);
    expect(savingsOf(repo([image(1, { pushed: 1 }), image(2, { pushed: 2, pulled: 1 })], { lifecyclePolicy: GOOD }))).toEqual([]);
  });
});

describe("registrySavings", () => {
  const repositories = [repo([image(1, { pushed: 1 })], { arn: "arn:aws:ecr:us-east-1:111122223333:repository/a" }), repo([image(2, { pushed: 1 })], { arn: "arn:aws:ecr:us-east-1:111122223333:repository/b", lifecyclePolicy: GOOD })];
  const destinations = [{ region: "eu-central-1", registryId: ACCOUNT }, { region: "us-west-2", registryId: ACCOUNT }];

  it("prices unfiltered replication as the registry's stored bytes at every destination's price", () => {
    const registry = registryFacts({ replicationRules: [{ destinations, repositoryFilters: [] }] });
    const replication = registrySavings(registry, repositories, NOW, SETTINGS).find((s) => s.kind === "replication-filter")!;
    // Each repository stores the base once and its app layer: 110 MiB each.
    const stored = 2 * 110 * MIB;
    expect(replication).toMatchObject({ resource: `registry/${ACCOUNT}/us-east-1`, images: 2, bytes: 2 * stored, bytesExact: true, counted: true });
    expect(replication.monthlyUsd).toBeCloseTo(usdOf(stored, 0.2) + usdOf(stored, 0.1), 9);
    expect(replication.method).toMatch(/eu-central-1 .* at \$0\.20 per GB-month, us-west-2/);
  });

  it.each([
    ["a rule limited by PREFIX_MATCH", registryFacts({ replicationRules: [{ destinations, repositoryFilters: [{ filter: "platform", filterType: "PREFIX_MATCH" }] }] })],
    ["no replication", registryFacts({ replicationRules: [] })],
    ["DescribeRegistry failed", registryFacts({ replicationRules: null, readErrors: readErrors("DescribeRegistry") })],
  ])("claims no replication saving for %s", (_label, registry) => {
    expect(registrySavings(registry, repositories, NOW, SETTINGS).filter((s) => s.kind === "replication-filter")).toEqual([]);
  });

  it("totals each repository's largest lifecycle action once, plus replication, and nothing unquantified", () => {
    const busy = repo([...Array.from({ length: 14 }, (_, i) => image(i + 1, { pushed: 100 + i })), image(50, { tags: [], pushed: 3, appMib: 5 })], { arn: "arn:aws:ecr:us-east-1:111122223333:repository/busy" });
    const oversized = repo([image(60, { pushed: 1, layers: [layer("huge", 2 * GIB)] })], { arn: "arn:aws:ecr:us-east-1:111122223333:repository/big", lifecyclePolicy: GOOD });
    const registry = registryFacts({ replicationRules: [{ destinations: [destinations[1]], repositoryFilters: [] }] });
    const savings = registrySavings(registry, [busy, oversized], NOW, SETTINGS);
    const busyRows = savings.filter((s) => s.resource.endsWith("/busy"));
    // Three overlapping actions on one repository: policy, stale and untagged.
    expect(busyRows.map((s) => s.kind).sort()).toEqual(["lifecycle-policy", "stale-images", "untagged-images"]);
    const largest = Math.max(...busyRows.map((s) => s.monthlyUsd!));
    expect(busyRows.filter((s) => s.counted).map((s) => s.monthlyUsd)).toEqual([largest]);
    const replication = savings.find((s) => s.kind === "replication-filter")!;
    expect(totalMonthlyUsd(savings)).toBeCloseTo(largest + replication.monthlyUsd!, 9);
    expect(savings.find((s) => s.kind === "oversized-image")).toMatchObject({ counted: false, monthlyUsd: null });
  });
});

describe("rankSavings", () => {
  it("puts the largest first, unquantified last, and breaks ties by kind and resource", () => {
    const row = (kind: Saving["kind"], resource: string, monthlyUsd: number | null): Saving => ({ kind, resource, accountId: ACCOUNT, region: "us-east-1", images: 1, bytes: 1, bytesExact: true, monthlyUsd, counted: monthlyUsd !== null, method: "", details: {} });
    const ranked = rankSavings([row("oversized-image", "a", null), row("stale-images", "b", 1), row("lifecycle-policy", "c", 1), row("replication-filter", "d", 5), row("stale-images", "a", 1)]);
    expect(ranked.map((s) => `${s.kind} ${s.resource}`)).toEqual(["replication-filter d", "lifecycle-policy c", "stale-images a", "stale-images b", "oversized-image a"]);
    expect(SAVING_KINDS).toHaveLength(5);
  });
});
