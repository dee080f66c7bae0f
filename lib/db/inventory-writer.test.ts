import { afterAll, describe, expect, it } from "vitest";
import type { RegionCollection, RepositoryCollection } from "@/lib/aws/collect-region";
import type { ImageRecord } from "@/lib/aws/types";
import { sql } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { writeRegionCollection } from "./inventory-writer";
import { closePool } from "./pool";

withTestDatabase();
afterAll(() => closePool());

const accountId = "123456789012";
const region = "eu-west-1";

function image(digest: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    digest, tags: ["v1"], sizeBytes: 1000, pushedAt: new Date("2026-10-01T10:00:00.123Z"), lastPulledAt: null, manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactMediaType: null, scanStatus: "COMPLETE", scanDescription: null, scanCompletedAt: null, severityCounts: { HIGH: 1 }, layers: null, ...overrides,
  };
}

function repository(name: string, images: ImageRecord[] | null, overrides: Partial<RepositoryCollection["repository"]> = {}): RepositoryCollection {
  return {
    repository: {
      arn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`, accountId, region, name, uri: `x/${name}`, createdAt: new Date("2025-01-01T00:00:00Z"),
      imageTagMutability: "MUTABLE", tagMutabilityExclusions: null, scanOnPush: false, encryptionType: "AES256", kmsKey: null, scanFrequency: "MANUAL",
      appliedScanFilters: [], lifecyclePolicy: null, repositoryPolicy: null, tags: [], errors: {}, ...overrides,
    },
    images,
    findings: null,
  };
}

function region_(repositories: RepositoryCollection[]): RegionCollection {
  return {
    registry: { accountId, region, scanType: "BASIC", scanRules: [], registryPolicy: null, replicationRules: [], errors: {} },
    services: { trails: [], guardDutyDetectors: [], vpcs: [], vpcEndpoints: [], inspectorCoverage: null, errors: {} },
    kmsKeys: [], failures: [], stats: { calls: 0, throttled: 0, failed: 0 }, repositories,
  };
}

const openImages = () => sql<{ repositoryArn: string; digest: string; tags: string[]; lastPulledAt: Date | null; validFrom: number }>(`SELECT "repositoryArn", "digest", "tags", "lastPulledAt", "validFrom" FROM "Image" WHERE "validTo" IS NULL ORDER BY "digest"`);

describe("the versioned inventory writer", () => {
  const awkward = `{"rules":[{"description":"tab\\there, newline\\nthere, back\\\\slash, \\"quotes\\", ünïcødé 🚀"}]}\n\t\\`;

  it("stores every value exactly, including text COPY must escape", async () => {
    const result = await writeRegionCollection(1, accountId, region, region_([
      repository("team/api", [image("sha256:a", { tags: ['we"ird', "back\\slash", "v2"] }), image("sha256:b", { tags: [] })], { lifecyclePolicy: awkward, tags: [{ key: "env", value: "prod\tlive" }] }),
    ]));
    expect(result.rowsWritten).toBe(4);
    const [repo] = await sql<{ lifecyclePolicy: string; tags: unknown; imageCount: number; imageBytes: string }>(`SELECT "lifecyclePolicy", "tags", "imageCount", "imageBytes"::text FROM "Repository"`);
    expect(repo).toEqual({ lifecyclePolicy: awkward, tags: [{ key: "env", value: "prod\tlive" }], imageCount: 2, imageBytes: "2000" });
    const images = await openImages();
    expect(images.map((i) => i.tags)).toEqual([['we"ird', "back\\slash", "v2"], []]);
    const [pushed] = await sql<{ pushedAt: Date }>(`SELECT "pushedAt" FROM "Image" WHERE "digest" = 'sha256:a'`);
    expect(pushed.pushedAt.toISOString()).toBe("2026-10-01T10:00:00.123Z");
  });

  it("writes nothing when nothing changed, and a new version only for what did", async () => {
    const same = region_([
      repository("team/api", [image("sha256:a", { tags: ['we"ird', "back\\slash", "v2"] }), image("sha256:b", { tags: [] })], { lifecyclePolicy: awkward, tags: [{ key: "env", value: "prod\tlive" }] }),
    ]);
    expect((await writeRegionCollection(2, accountId, region, same)).rowsWritten).toBe(0);

    same.repositories[0].images![1] = image("sha256:b", { tags: [], lastPulledAt: new Date("2026-11-01T00:00:00Z") });
    const changed = await writeRegionCollection(3, accountId, region, same);
    // The image's new version, its old one closed; the repository is unchanged (its images' count and bytes are).
    expect(changed.rowsWritten).toBe(2);
    const images = await openImages();
    expect(images.find((i) => i.digest === "sha256:b")).toMatchObject({ validFrom: 3, lastPulledAt: new Date("2026-11-01T00:00:00Z") });
    const [versions] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Image" WHERE "digest" = 'sha256:b'`);
    expect(versions.count).toBe(2);
    // Run 2's snapshot still shows the old version.
    const [asOf2] = await sql<{ lastPulledAt: Date | null }>(`SELECT "lastPulledAt" FROM "Image" WHERE "digest" = 'sha256:b' AND "validFrom" <= 2 AND ("validTo" IS NULL OR "validTo" > 2)`);
    expect(asOf2.lastPulledAt).toBeNull();
  });

  it("keeps images it could not read, and marks a vanished repository and its images deleted", async () => {
    await writeRegionCollection(4, accountId, region, region_([repository("team/api", null, { lifecyclePolicy: awkward, tags: [{ key: "env", value: "prod\tlive" }] }), repository("team/web", [image("sha256:c")])]));
    expect((await openImages()).map((i) => i.digest)).toEqual(["sha256:a", "sha256:b", "sha256:c"]);

    await writeRegionCollection(5, accountId, region, region_([repository("team/web", [image("sha256:c")])]));
    expect((await openImages()).map((i) => i.digest)).toEqual(["sha256:c"]);
    const deleted = await sql<{ name: string; validTo: number; deletedAt: Date | null }>(`SELECT "name", "validTo", "deletedAt" FROM "Repository" WHERE "arn" LIKE '%team/api' AND "validTo" = 5`);
    expect(deleted).toEqual([{ name: "team/api", validTo: 5, deletedAt: expect.any(Date) }]);
    const [gone] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Image" WHERE "repositoryArn" LIKE '%team/api' AND "validTo" = 5 AND "deletedAt" IS NOT NULL`);
    expect(gone.count).toBe(2);
  });

  it("a resumed target replaces what its earlier attempt wrote, without duplicates", async () => {
    const next = region_([repository("team/web", [image("sha256:c", { tags: ["v9"] }), image("sha256:d")])]);
    await writeRegionCollection(6, accountId, region, next);
    // The worker died after writing: the same run writes the target again.
    await writeRegionCollection(6, accountId, region, next, { resumed: true });
    const images = await openImages();
    expect(images.map((i) => [i.digest, i.validFrom, i.tags])).toEqual([["sha256:c", 6, ["v9"]], ["sha256:d", 6, ["v1"]]]);
    const [versions] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Image" WHERE "digest" = 'sha256:c'`);
    expect(versions.count).toBe(2);
  });

  it("stores each repository's stored bytes: shared layers once, exact only when every image's layers were read", async () => {
    const layer = (name: string, size: number) => ({ digest: `sha256:${name}`, size, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" });
    const shared = layer("base", 5_000);
    await writeRegionCollection(7, accountId, region, region_([
      repository("team/web", [image("sha256:c", { tags: ["v9"] }), image("sha256:d")]),
      repository("team/layers", [image("sha256:e", { sizeBytes: 5_600, layers: [shared, layer("e", 600)] }), image("sha256:f", { sizeBytes: 5_700, layers: [shared, layer("f", 700)] })]),
      repository("team/mixed", [image("sha256:g", { sizeBytes: 5_600, layers: [shared, layer("g", 600)] }), image("sha256:h", { sizeBytes: 9_000 })]),
      repository("team/unread", null),
    ]));
    const rows = await sql<{ name: string; imageBytes: string; storedBytes: string | null; storedBytesExact: boolean | null }>(
      `SELECT "name", "imageBytes"::text, "storedBytes"::text, "storedBytesExact" FROM "Repository" WHERE "validTo" IS NULL ORDER BY "name"`,
    );
    expect(rows).toEqual([
      { name: "team/layers", imageBytes: "11300", storedBytes: "6300", storedBytesExact: true },
      { name: "team/mixed", imageBytes: "14600", storedBytes: "14600", storedBytesExact: false },
      // Images not read: the stored bytes are unknown, not zero.
      { name: "team/unread", imageBytes: "0", storedBytes: null, storedBytesExact: null },
      // Layers never read (the fixtures' default): each image's compressed size, an upper bound.
      { name: "team/web", imageBytes: "2000", storedBytes: "2000", storedBytesExact: false },
    ]);
  });
});
