import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorWorker } from "@/lib/collect/worker";
import { closePool } from "@/lib/db/pool";
import { getSnapshotSummary, listMostVulnerableRepositories } from "@/lib/db/snapshot-summary";
import { getImages, getRepositories } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collect, configureSandboxAccounts, pointSdkAt, sql, startTestWorker } from "@/test/collector";
import { withTestDatabase } from "@/test/database";

// A full collection of the demo organisation through the real SDK clients over HTTP into a real
// PostgreSQL, compared with what the sandbox generated.

const db = withTestDatabase();
let sandbox: RunningSandbox;
let worker: CollectorWorker;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo"));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
  worker = await startTestWorker(db.url());
});

afterAll(async () => {
  await worker?.stop();
  await closePool();
  await sandbox?.close();
});

const SNAPSHOT = `"validTo" IS NULL`;

describe("collecting the demo organisation", () => {
  let first: Awaited<ReturnType<typeof collect>>;

  it("completes with every target collected and no failed call", async () => {
    first = await collect(worker);
    const org = sandbox.organization;
    const active = org.accounts.filter((a) => a.status === "ACTIVE");
    expect(first.status).toBe("complete");
    expect(first.targetsTotal).toBe(active.length * org.options.regions.length + 1);
    expect(first.targetsFailed).toBe(0);
    expect(first.errorCount).toBe(0);
    expect(first.costExplorerRequests).toBeGreaterThan(0);
  });

  it("stores exactly the repositories and images the organisation has, with their values", async () => {
    const org = sandbox.organization;
    const expectedRepos = org.accounts
      .filter((a) => a.status === "ACTIVE")
      .flatMap((a) => org.options.regions.flatMap((region) => getRepositories(org, a.id, region)));
    const stored = await sql<{ arn: string; name: string; imageTagMutability: string; encryptionType: string; kmsKey: string | null; scanOnPush: boolean; lifecyclePolicy: string | null; repositoryPolicy: string | null; imageCount: number; readErrors: object }>(
      `SELECT "arn", "name", "imageTagMutability", "encryptionType", "kmsKey", "scanOnPush", "lifecyclePolicy", "repositoryPolicy", "imageCount", "readErrors" FROM "Repository" WHERE ${SNAPSHOT}`,
    );
    expect(stored.length).toBe(expectedRepos.length);
    const byArn = new Map(stored.map((r) => [r.arn, r]));
    for (const repo of expectedRepos) {
      const row = byArn.get(repo.arn);
      expect(row, repo.arn).toBeDefined();
      expect(row).toMatchObject({
        name: repo.name,
        imageTagMutability: repo.imageTagMutability,
        encryptionType: repo.encryptionType,
        kmsKey: repo.kmsKey ?? null,
        scanOnPush: repo.scanOnPush,
        lifecyclePolicy: repo.lifecyclePolicyText ?? null,
        repositoryPolicy: repo.repositoryPolicyText ?? null,
        imageCount: getImages(org, repo).length,
        readErrors: {},
      });
    }

    const expectedImages = expectedRepos.reduce((n, repo) => n + getImages(org, repo).length, 0);
    const [{ count }] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Image" WHERE ${SNAPSHOT}`);
    expect(count).toBe(expectedImages);

    // Sampled image values: every image of three repositories, field by field.
    for (const repo of [expectedRepos[0], expectedRepos[Math.floor(expectedRepos.length / 2)], expectedRepos.at(-1)!]) {
      const rows = await sql<{ digest: string; tags: string[]; sizeBytes: string; pushedAt: Date; lastPulledAt: Date | null; scanStatus: string | null }>(
        `SELECT "digest", "tags", "sizeBytes"::text AS "sizeBytes", "pushedAt", "lastPulledAt", "scanStatus" FROM "Image" WHERE "repositoryArn" = $1 AND ${SNAPSHOT}`,
        [repo.arn],
      );
      const images = getImages(org, repo);
      expect(rows.length).toBe(images.length);
      const byDigest = new Map(rows.map((r) => [r.digest, r]));
      for (const image of images) {
        const row = byDigest.get(image.digest)!;
        expect(row.tags).toEqual(image.tags);
        expect(Number(row.sizeBytes)).toBe(image.sizeInBytes);
        // Timestamps cross the wire as epoch seconds: compare to the second.
        expect(Math.floor(row.pushedAt.getTime() / 1000)).toBe(Math.floor(image.pushedAt.getTime() / 1000));
        expect(row.lastPulledAt ? Math.floor(row.lastPulledAt.getTime() / 1000) : null).toBe(image.lastRecordedPullTime ? Math.floor(image.lastRecordedPullTime.getTime() / 1000) : null);
        expect(row.scanStatus).toBe(image.scan?.status ?? null);
      }
    }
  });

  it("stores registries, findings of latest images, KMS keys and Cost Explorer data", async () => {
    const org = sandbox.organization;
    const registries = await sql<{ scanType: string | null; trails: unknown; vpcs: unknown }>(`SELECT "scanType", "trails", "vpcs" FROM "Registry" WHERE ${SNAPSHOT}`);
    expect(registries.length).toBe(org.accounts.filter((a) => a.status === "ACTIVE").length * org.options.regions.length);
    expect(registries.every((r) => r.scanType === "BASIC" || r.scanType === "ENHANCED")).toBe(true);
    expect(registries.every((r) => Array.isArray(r.trails) && Array.isArray(r.vpcs))).toBe(true);

    const [findings] = await sql<{ repos: number; rows: number }>(`SELECT count(DISTINCT "repositoryArn")::int AS repos, count(*)::int AS rows FROM "Finding" WHERE ${SNAPSHOT}`);
    expect(findings.repos).toBeGreaterThan(0);
    expect(findings.rows).toBeGreaterThan(findings.repos);

    const [keys] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "KmsKey" WHERE ${SNAPSHOT} AND "keyManager" IS NOT NULL`);
    expect(keys.count).toBeGreaterThan(0);

    const [cost] = await sql<{ accounts: number; regions: number; forecasts: number }>(
      `SELECT (SELECT count(DISTINCT "key")::int FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT') AS accounts,
              (SELECT count(DISTINCT "key")::int FROM "CostDaily" WHERE "dimension" = 'REGION') AS regions,
              (SELECT count(*)::int FROM "CostForecast") AS forecasts`,
    );
    expect(cost.accounts).toBeGreaterThan(0);
    expect(cost.regions).toBe(org.options.regions.length);
    expect(cost.forecasts).toBeGreaterThan(0);
  });

  it("a second run with nothing changed writes almost nothing and duplicates nothing", async () => {
    const before = sandbox.metrics().calls;
    const second = await collect(worker);
    const after = sandbox.metrics().calls;
    // Manifests and a scan's findings cannot change without a new digest or scan: not read again.
    expect((after["ecr:BatchGetImage"] ?? 0) - (before["ecr:BatchGetImage"] ?? 0)).toBe(0);
    expect((after["ecr:DescribeImageScanFindings"] ?? 0) - (before["ecr:DescribeImageScanFindings"] ?? 0)).toBeLessThan((before["ecr:DescribeImageScanFindings"] ?? 0) / 5);
    // Cost Explorer is read incrementally: far fewer requests than the first run's backfill.
    expect(second.costExplorerRequests).toBeLessThan(first.costExplorerRequests);
    expect(second.status).toBe("complete");
    // Only the run's bookkeeping of usage types and the forecast are rewritten.
    expect(second.rowsWritten).toBeLessThan(first.rowsWritten / 50);
    const [duplicates] = await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM (SELECT "arn" FROM "Repository" WHERE ${SNAPSHOT} GROUP BY "arn" HAVING count(*) > 1) d`,
    );
    expect(duplicates.count).toBe(0);
  });

  it("summarises the snapshot for the Overview and Vulnerabilities pages", async () => {
    const org = sandbox.organization;
    const repos = org.accounts.filter((a) => a.status === "ACTIVE").flatMap((a) => org.options.regions.flatMap((r) => getRepositories(org, a.id, r)));
    const summary = (await getSnapshotSummary(first.id))!;
    expect(summary).toMatchObject({ runId: first.id, status: "complete", repositories: repos.length, registries: org.options.regions.length * org.accounts.filter((a) => a.status === "ACTIVE").length, failedTargets: 0 });
    expect(summary.images).toBe(repos.reduce((n, repo) => n + getImages(org, repo).length, 0));
    const [findings] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Finding" WHERE "validTo" IS NULL`);
    expect(Object.values(summary.findingsBySeverity).reduce((a, b) => a + b, 0)).toBe(findings.count);
    const worst = await listMostVulnerableRepositories(first.id, 5);
    expect(worst.length).toBeGreaterThan(0);
    const rank = (r: (typeof worst)[number]) => [r.counts.CRITICAL ?? 0, r.counts.HIGH ?? 0, r.total];
    const notBefore = (a: number[], b: number[]) => a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2])));
    for (let i = 1; i < worst.length; i++) expect(notBefore(rank(worst[i - 1]), rank(worst[i])), `${worst[i - 1].name} before ${worst[i].name}`).toBe(true);
  });

  it("never calls an AWS operation that changes anything", () => {
    const operations = Object.keys(sandbox.metrics().calls);
    expect(operations.length).toBeGreaterThan(20);
    const mutating = operations.filter((key) => !/^[a-z0-9]+:(Describe|Get|List|BatchGet|AssumeRole$)/.test(key));
    expect(mutating).toEqual([]);
    expect(operations).not.toContain("ecr:GetDownloadUrlForLayer");
  });
});
