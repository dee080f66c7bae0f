import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import {
  countRepositories,
  getRepositoryDetail,
  listRepositories,
  listRepositoryFindings,
  listRepositoryImages,
} from "./repositories";
import {
  DEFAULT_DIRECTION,
  decodeRepositoryCursor,
  parseRepositoryListParams,
  REPOSITORY_SORTS,
  type RepositoryFilter,
  type RepositorySort,
  type SortDirection,
} from "./repository-list-params";

withTestDatabase();

// Run 1 and 2 finished; run 3 is still writing. Readers see V = 2.
const V = 2;
const ACCOUNTS = ["111111111111", "222222222222", "333333333333"];
const REGIONS = ["us-east-1", "eu-west-1"];
const ENCRYPTIONS = ["AES256", "KMS", "KMS_DSSE"];
const FREQUENCIES = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL", null];
const MUTABILITIES = ["MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION"];
const DAY = 86_400_000;

interface Seed {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  imageCount: number;
  imageBytes: bigint;
  latestPushedAt: Date | null;
  encryptionType: string;
  scanFrequency: string | null;
  imageTagMutability: string;
  lifecyclePolicy: string | null;
  readErrors: object;
  validFrom: number;
  validTo: number | null;
  deletedAt: Date | null;
}

function seed(i: number, overrides: Partial<Seed> = {}): Seed {
  const accountId = overrides.accountId ?? ACCOUNTS[i % 3];
  const region = overrides.region ?? REGIONS[i % 2];
  // i and i + 65 share a name in different accounts: the ARN breaks the tie.
  const name = overrides.name ?? `${i % 2 ? "team/" : ""}app-${String(i % 65).padStart(2, "0")}`;
  return {
    arn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
    accountId,
    region,
    name,
    imageCount: i % 7,
    imageBytes: BigInt(i % 10) * 1_000_000_000n,
    latestPushedAt: i % 6 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + (i % 20) * DAY + 123),
    encryptionType: ENCRYPTIONS[(i >> 1) % 3],
    scanFrequency: FREQUENCIES[i % 4],
    imageTagMutability: MUTABILITIES[(i >> 2) % 4],
    lifecyclePolicy: i % 5 === 0 ? '{"rules":[]}' : null,
    readErrors: i % 5 === 1 ? { GetLifecyclePolicy: { errorName: "AccessDeniedException", message: "not allowed", operation: "GetLifecyclePolicy" } } : {},
    validFrom: 1,
    validTo: null,
    deletedAt: null,
    ...overrides,
  };
}

const visible = Array.from({ length: 130 }, (_, i) => seed(i));

// Rows that must never show at V = 2: written by the run in progress, replaced, or deleted.
const hidden = [
  seed(1000, { name: "ghost/future", validFrom: 3 }),
  seed(1001, { name: "ghost/replaced", validFrom: 1, validTo: 2 }),
  seed(1002, { name: "ghost/old", validFrom: 1, validTo: 1 }),
  seed(1003, { name: "ghost/deleted", validFrom: 1, validTo: 2, deletedAt: new Date("2026-02-01T00:00:00Z") }),
];
// A repository whose old version was replaced at run 2: only the new one is visible.
const changedOld = seed(7, { validFrom: 1, validTo: 2, name: "changed/repo", imageCount: 99 });
const changedNew = seed(7, { validFrom: 2, name: "changed/repo", imageCount: 3 });

beforeAll(async () => {
  const db = getDb();
  await db.collectionRun.createMany({
    data: [
      { id: 1, status: "complete", trigger: "cli", requestedBy: "cli" },
      { id: 2, status: "partial", trigger: "cli", requestedBy: "cli" },
      { id: 3, status: "running", trigger: "manual", requestedBy: "a@example.com" },
    ],
  });
  await db.repository.createMany({
    data: [...visible, ...hidden, changedOld, changedNew].map((r) => ({
      ...r,
      hash: "h",
      uri: `${r.accountId}.dkr.ecr.${r.region}.amazonaws.com/${r.name}`,
      createdAt: new Date("2025-01-01T00:00:00Z"),
      scanOnPush: false,
    })),
  });
});

const all = [...visible, changedNew];

function matches(r: Seed, f: RepositoryFilter): boolean {
  const unread = "GetLifecyclePolicy" in r.readErrors;
  return (
    (!f.accountId || r.accountId === f.accountId) &&
    (!f.region || r.region === f.region) &&
    (!f.name || r.name.toLowerCase().includes(f.name.toLowerCase())) &&
    (!f.encryption || r.encryptionType === f.encryption) &&
    (!f.scanFrequency || (f.scanFrequency === "unknown" ? r.scanFrequency === null : r.scanFrequency === f.scanFrequency)) &&
    (!f.tagMutability || r.imageTagMutability === f.tagMutability) &&
    (!f.lifecycle ||
      (f.lifecycle === "yes" ? r.lifecyclePolicy !== null : f.lifecycle === "no" ? r.lifecyclePolicy === null && !unread : r.lifecyclePolicy === null && unread))
  );
}

/** Every page, following `next` from the first page; then back again with `previous`. */
async function walk(filter: RepositoryFilter, sort: RepositorySort, direction: SortDirection, limit: number) {
  const pages: string[][] = [];
  let after: string | null | undefined;
  let last: Awaited<ReturnType<typeof listRepositories>> | undefined;
  do {
    const cursor = after ? decodeRepositoryCursor(after, sort, direction)! : undefined;
    last = await listRepositories({ runId: V, filter, sort, direction, after: cursor, limit });
    pages.push(last.rows.map((r) => r.arn));
    expect(last.previous === null).toBe(pages.length === 1);
    after = last.next;
    expect(pages.length).toBeLessThan(50);
  } while (after);

  const backwards: string[][] = [pages[pages.length - 1]];
  let before = last.previous;
  while (before) {
    const page = await listRepositories({ runId: V, filter, sort, direction, before: decodeRepositoryCursor(before, sort, direction)!, limit });
    backwards.unshift(page.rows.map((r) => r.arn));
    expect(page.next).not.toBeNull();
    before = page.previous;
  }
  return { forward: pages, backward: backwards };
}

const SORT_SQL: Record<RepositorySort, string> = {
  name: `"name"`,
  account: `"accountId"`,
  images: `"imageCount"`,
  size: `"imageBytes"`,
  pushed: `COALESCE("latestPushedAt", '-infinity'::timestamp(3))`,
};

/** The reference order: one unpaginated query over the rows the test knows are visible. */
async function referenceOrder(arns: string[], sort: RepositorySort, direction: SortDirection): Promise<string[]> {
  const d = direction === "asc" ? "ASC" : "DESC";
  const rows = await getDb().$queryRawUnsafe<{ arn: string }[]>(
    `SELECT "arn" FROM "Repository" WHERE "arn" = ANY($1::text[]) AND ("validTo" IS NULL) AND "validFrom" <= ${V}
     ORDER BY ${SORT_SQL[sort]} ${d}, "arn" ${d}`,
    arns,
  );
  return rows.map((r) => r.arn);
}

describe("listRepositories", () => {
  for (const sort of REPOSITORY_SORTS) {
    for (const direction of ["asc", "desc"] as const) {
      it(`pages through every repository by ${sort} ${direction} without duplicates or gaps`, async () => {
        const { forward, backward } = await walk({}, sort, direction, 50);
        expect(forward.map((p) => p.length)).toEqual([50, 50, 31]);
        const flat = forward.flat();
        expect(new Set(flat).size).toBe(flat.length);
        expect(flat).toEqual(await referenceOrder(all.map((r) => r.arn), sort, direction));
        expect(backward).toEqual(forward);
      });
    }
  }

  const FILTERS: RepositoryFilter[] = [
    { accountId: "222222222222" },
    { region: "eu-west-1" },
    { name: "TEAM/app-1" },
    { name: "app-0" },
    { encryption: "KMS" },
    { encryption: "KMS_DSSE" },
    { scanFrequency: "CONTINUOUS_SCAN" },
    { scanFrequency: "unknown" },
    { tagMutability: "IMMUTABLE_WITH_EXCLUSION" },
    { lifecycle: "yes" },
    { lifecycle: "no" },
    { lifecycle: "unknown" },
    { accountId: "111111111111", region: "us-east-1", encryption: "AES256" },
    { region: "us-east-1", lifecycle: "no", scanFrequency: "SCAN_ON_PUSH", tagMutability: "MUTABLE" },
  ];
  for (const filter of FILTERS) {
    it(`filters by ${JSON.stringify(filter)} and counts the matches`, async () => {
      const expected = all.filter((r) => matches(r, filter)).map((r) => r.arn);
      expect(expected.length).toBeGreaterThan(0);
      expect(await countRepositories({ runId: V, filter })).toBe(expected.length);
      for (const sort of ["name", "pushed"] as const) {
        const { forward, backward } = await walk(filter, sort, DEFAULT_DIRECTION[sort], 7);
        const flat = forward.flat();
        expect(flat).toEqual(await referenceOrder(expected, sort, DEFAULT_DIRECTION[sort]));
        expect(backward).toEqual(forward);
      }
    });
  }

  it("treats LIKE wildcards in the name filter as text", async () => {
    expect(await countRepositories({ runId: V, filter: { name: "_" } })).toBe(0);
    expect(await countRepositories({ runId: V, filter: { name: "%" } })).toBe(0);
    expect(await countRepositories({ runId: V, filter: { name: "app-%5" } })).toBe(0);
  });

  it("never shows rows outside the visible snapshot", async () => {
    const { forward } = await walk({}, "name", "asc", 200);
    const arns = forward.flat();
    for (const row of hidden) expect(arns).not.toContain(row.arn);
    expect(await countRepositories({ runId: V, filter: { name: "ghost" } })).toBe(0);
    const changed = (await listRepositories({ runId: V, filter: { name: "changed/repo" } })).rows;
    expect(changed).toHaveLength(1);
    expect(changed[0].imageCount).toBe(3);
    // Run 3's snapshot (not yet visible) would include the future row; the old version is gone at run 1's.
    expect(await countRepositories({ runId: 3, filter: { name: "ghost" } })).toBe(1);
    expect((await listRepositories({ runId: 1, filter: { name: "changed/repo" } })).rows[0].imageCount).toBe(99);
  });

  it("reports a repository's lifecycle policy as present, none or unknown", async () => {
    const rows = (await listRepositories({ runId: V, filter: { name: "app-0" }, limit: 200 })).rows;
    const byName = new Map(rows.map((r) => [r.arn, r.lifecycle]));
    for (const r of all.filter((s) => matches(s, { name: "app-0" }))) {
      expect(byName.get(r.arn)).toBe(r.lifecyclePolicy ? "present" : "GetLifecyclePolicy" in r.readErrors ? "unknown" : "none");
    }
  });
});

describe("parseRepositoryListParams", () => {
  it("keeps valid filters and names the invalid ones", () => {
    const parsed = parseRepositoryListParams({ account: "123", region: "mars-1", encryption: "KMS", scan: "unknown", lifecycle: "maybe", sort: "size" });
    expect(parsed.filter).toEqual({ encryption: "KMS", scanFrequency: "unknown" });
    expect(parsed.ignored.sort()).toEqual(["account", "lifecycle", "region"]);
    expect(parsed).toMatchObject({ sort: "size", direction: "desc" });
  });

  it("drops a cursor made for another ordering or tampered with", async () => {
    const page = await listRepositories({ runId: V, sort: "images", direction: "desc", limit: 10 });
    expect(parseRepositoryListParams({ sort: "images", after: page.next! }).after).toBeDefined();
    const stale = parseRepositoryListParams({ sort: "name", after: page.next! });
    expect(stale.after).toBeUndefined();
    expect(stale.ignored).toEqual(["after"]);
    const forged = Buffer.from(JSON.stringify(["images", "desc", "1; DROP TABLE x", "arn:x"])).toString("base64url");
    expect(parseRepositoryListParams({ sort: "images", after: forged }).after).toBeUndefined();
  });
});

describe("one repository", () => {
  beforeAll(async () => {
    const arn = changedNew.arn;
    const image = (digest: string, pushed: string, validFrom: number, validTo: number | null = null) => ({
      repositoryArn: arn,
      digest,
      validFrom,
      validTo,
      hash: "h",
      accountId: changedNew.accountId,
      region: changedNew.region,
      tags: [digest.slice(-1)],
      sizeBytes: 5n * 1024n * 1024n,
      pushedAt: new Date(pushed),
      severityCounts: { HIGH: 1 },
    });
    await getDb().image.createMany({
      data: [image("sha256:a", "2026-01-01T00:00:00Z", 1), image("sha256:b", "2026-01-03T00:00:00Z", 1), image("sha256:c", "2026-01-05T00:00:00Z", 3), image("sha256:d", "2026-01-02T00:00:00Z", 1, 2)],
    });
    const finding = (key: string, severity: string, score: number | null, validFrom = 1) => ({
      repositoryArn: arn,
      imageDigest: "sha256:b",
      key,
      validFrom,
      hash: "h",
      accountId: changedNew.accountId,
      region: changedNew.region,
      source: "basic",
      name: key,
      severity,
      score,
    });
    await getDb().finding.createMany({
      data: [finding("CVE-1", "LOW", 2), finding("CVE-2", "CRITICAL", 9.8), finding("CVE-3", "HIGH", 7), finding("CVE-4", "HIGH", null), finding("CVE-5", "CRITICAL", 9, 3)],
    });
  });

  it("lists the snapshot's images newest first, a page at a time", async () => {
    const { images, total } = await listRepositoryImages({ runId: V, repositoryArn: changedNew.arn, pageSize: 1 });
    expect(total).toBe(2);
    expect(images.map((i) => i.digest)).toEqual(["sha256:b"]);
    const second = await listRepositoryImages({ runId: V, repositoryArn: changedNew.arn, pageSize: 1, page: 2 });
    expect(second.images.map((i) => i.digest)).toEqual(["sha256:a"]);
    expect(second.images[0].sizeBytes).toBe(5 * 1024 * 1024);
  });

  it("sorts the snapshot's findings by severity, then score", async () => {
    const { findings, total } = await listRepositoryFindings({ runId: V, repositoryArn: changedNew.arn });
    expect(total).toBe(4);
    expect(findings.map((f) => f.key)).toEqual(["CVE-2", "CVE-3", "CVE-4", "CVE-1"]);
  });

  it("reads the visible version, and a deleted repository's last one with the run that missed it", async () => {
    const current = await getRepositoryDetail({ runId: V, accountId: changedNew.accountId, region: changedNew.region, name: "changed/repo" });
    expect(current).toMatchObject({ imageCount: 3, deletedInRun: null, contentsRunId: V });

    const gone = hidden[3];
    const deleted = await getRepositoryDetail({ runId: V, accountId: gone.accountId, region: gone.region, name: gone.name });
    expect(deleted).toMatchObject({ deletedInRun: 2, contentsRunId: 1 });

    const lifecycleUnread = visible[1];
    const unread = await getRepositoryDetail({ runId: V, accountId: lifecycleUnread.accountId, region: lifecycleUnread.region, name: lifecycleUnread.name });
    expect(unread?.readErrors.GetLifecyclePolicy).toMatchObject({ errorName: "AccessDeniedException", message: "not allowed" });

    // Only written by the run in progress: not there yet.
    const future = hidden[0];
    expect(await getRepositoryDetail({ runId: V, accountId: future.accountId, region: future.region, name: future.name })).toBeNull();
  });
});
