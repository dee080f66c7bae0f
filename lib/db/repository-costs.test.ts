import { beforeAll, describe, expect, it, vi } from "vitest";
import { regionForUsageType } from "@/lib/aws/region-billing-codes";
import { allocateStorageCost, isStorageUsageType } from "@/lib/cost/allocation";
import { getImages, getRepositories } from "@/lib/sandbox/ecr-model";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import type { SessionUser } from "./sessions";
import { getRepositoryCost, getRepositoryCostTotals, getStorageCosts, getStoragePrices, listRepositoryCosts, listUnallocatedCosts, parseRepositoryCostParams, REPOSITORY_COST_SORTS, type RepositoryCostRow, type RepositoryCostSort } from "./repository-costs";
import { sessionUser } from "@/test/session";

// The demo organisation collected through the real SDK into PostgreSQL: every account-region's
// storage bill from the stored CostDaily rows must be shared out to its repositories exactly.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
const { GET } = await import("@/app/api/costs/repositories/route");
const as = sessionUser;
const download = (query = "") => GET(new Request(`http://localhost/api/costs/repositories${query}`), { params: Promise.resolve({}) });

const db = withTestDatabase();
const demo = withCollectedDemo(db, { stopWorker: true });
let runId: number;
beforeAll(() => {
  runId = demo().run.id;
});

async function everyRow(sort: RepositoryCostSort = "allocated", direction: "asc" | "desc" = "desc", filter = {}): Promise<RepositoryCostRow[]> {
  const rows: RepositoryCostRow[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const params = parseRepositoryCostParams({ sort, dir: direction, ...(after ? { after } : {}) });
    const page = await listRepositoryCosts({ runId, filter, sort, direction, after: params.after, limit: 7 });
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error("the pager never ended");
}

/** Each account-region's storage cost summed straight from the stored rows (USD, cents). */
async function storedStorageCents(): Promise<Map<string, number>> {
  const rows = await sql<{ key: string; usageType: string; cents: string }>(
    `WITH b AS (SELECT max("date") AS last FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT')
     SELECT c."key", c."usageType", round(sum(c."amount") * 100)::text AS "cents" FROM "CostDaily" c, b
      WHERE c."dimension" = 'LINKED_ACCOUNT' AND c."date" > b.last - 30 GROUP BY 1, 2`,
  );
  const out = new Map<string, number>();
  for (const row of rows) {
    if (!isStorageUsageType(row.usageType)) continue;
    const key = `${row.key}/${regionForUsageType(row.usageType)}`;
    out.set(key, (out.get(key) ?? 0) + Number(row.cents));
  }
  return out;
}

describe("repository costs over the demo organisation", () => {
  it("adds each account-region's allocated costs up to its storage cost from the stored CostDaily rows, to the cent", async () => {
    const rows = await everyRow();
    const expected = await storedStorageCents();
    expect(expected.size).toBeGreaterThan(3);
    const allocated = new Map<string, number>();
    for (const row of rows) {
      expect(row.allocatedUsd, row.arn).not.toBeNull();
      const key = `${row.accountId}/${row.region}`;
      allocated.set(key, (allocated.get(key) ?? 0) + Math.round(row.allocatedUsd! * 1_000_000));
      expect(row.regionCostUsd).not.toBeNull();
    }
    for (const [key, cents] of expected) {
      // Micro-dollars summed as integers, then compared in cents (per-usage-type rounding aside).
      expect(Math.abs(Math.round((allocated.get(key) ?? 0) / 10_000) - cents), key).toBeLessThanOrEqual(1);
    }
    const { costs } = await getStorageCosts();
    for (const cost of costs) {
      // Exactly, in micro-dollars, against the figure that was shared out.
      expect(BigInt(allocated.get(`${cost.accountId}/${cost.region}`) ?? 0), `${cost.accountId}/${cost.region}`).toBe(cost.micros);
    }
  });

  it("gives the same shares in SQL as the pure allocation", async () => {
    const rows = await everyRow();
    const { costs } = await getStorageCosts();
    const pure = allocateStorageCost(
      rows.map((r) => ({ arn: r.arn, accountId: r.accountId, region: r.region, storedBytes: r.storedBytes, storedBytesExact: r.storedBytesExact })),
      costs,
      await getStoragePrices(),
    );
    const byArn = new Map(pure.repositories.map((r) => [r.arn, r]));
    for (const row of rows) {
      const reference = byArn.get(row.arn)!;
      expect(Math.round(row.allocatedUsd! * 1_000_000), row.arn).toBe(Number(reference.allocatedMicros));
      expect(Math.abs(Math.round(row.listUsd * 1_000_000) - Number(reference.listMicros))).toBeLessThanOrEqual(1);
    }
    expect(pure.unallocated).toEqual([]);
  });

  it("stores no more bytes than the images' summed sizes, counts shared layers once, and says when it is exact", async () => {
    const repositories = await sql<{ arn: string; imageBytes: string; storedBytes: string; storedBytesExact: boolean }>(
      `SELECT "arn", "imageBytes"::text, "storedBytes"::text, "storedBytesExact" FROM "Repository" WHERE "validTo" IS NULL`,
    );
    expect(repositories.length).toBeGreaterThan(20);
    const org = demo().sandbox.organization;
    const generated = new Map(org.accounts.flatMap((a) => org.options.regions.flatMap((region) => getRepositories(org, a.id, region))).map((r) => [r.arn, r]));
    let shared = 0;
    for (const row of repositories) {
      expect(Number(row.storedBytes), row.arn).toBeLessThanOrEqual(Number(row.imageBytes));
      // The collector read every container image's manifest in the demo organisation.
      expect(row.storedBytesExact, row.arn).toBe(true);
      // What the sandbox stores: each layer once (a signature's own size, since its manifest is not an image's).
      const repo = generated.get(row.arn)!;
      const seen = new Set<string>();
      let bytes = 0;
      for (const image of getImages(org, repo)) {
        if (image.artifactMediaType !== "application/vnd.oci.image.config.v1+json") {
          bytes += image.sizeInBytes;
          continue;
        }
        for (const layer of image.layers) if (!seen.has(layer.digest) && seen.add(layer.digest)) bytes += layer.size;
      }
      expect(Number(row.storedBytes), row.arn).toBe(bytes);
      if (Number(row.storedBytes) < Number(row.imageBytes)) shared++;
    }
    expect(shared).toBeGreaterThan(repositories.length / 2);
  });

  it("pages through every ordering without losing or repeating a repository, and walks back", async () => {
    const [{ count }] = await sql<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Repository" WHERE "validTo" IS NULL AND "deletedAt" IS NULL`);
    for (const sort of REPOSITORY_COST_SORTS) {
      for (const direction of ["desc", "asc"] as const) {
        const rows = await everyRow(sort, direction);
        expect(rows.length).toBe(count);
        expect(new Set(rows.map((r) => r.arn)).size).toBe(count);
        const value = (r: RepositoryCostRow) => ({ allocated: r.allocatedUsd ?? -Infinity, estimated: r.listUsd, size: r.storedBytes, images: r.imageCount })[sort];
        for (let i = 1; i < rows.length; i++) {
          if (direction === "desc") expect(value(rows[i - 1])).toBeGreaterThanOrEqual(value(rows[i]));
          else expect(value(rows[i - 1])).toBeLessThanOrEqual(value(rows[i]));
        }
      }
    }
    const firstPage = await listRepositoryCosts({ runId, limit: 5 });
    const second = await listRepositoryCosts({ runId, limit: 5, after: parseRepositoryCostParams({ after: firstPage.next! }).after });
    const back = await listRepositoryCosts({ runId, limit: 5, before: parseRepositoryCostParams({ before: second.previous! }).before });
    expect(back.rows.map((r) => r.arn)).toEqual(firstPage.rows.map((r) => r.arn));
    expect(back.previous).toBeNull();
  });

  it("filters by account, region, name prefix and minimum amount, and totals what matches", async () => {
    const all = await everyRow();
    const sample = all[Math.floor(all.length / 2)];
    const prefix = sample.name.split("/")[0];
    const filter = { accountId: sample.accountId, region: sample.region, namePrefix: prefix };
    const filtered = await everyRow("allocated", "desc", filter);
    const expected = all.filter((r) => r.accountId === sample.accountId && r.region === sample.region && r.name.startsWith(prefix));
    expect(filtered.map((r) => r.arn).sort()).toEqual(expected.map((r) => r.arn).sort());
    // Filtering by name does not change anyone's share: the region's cost was shared over all of it.
    for (const row of filtered) expect(row.allocatedUsd).toBe(all.find((r) => r.arn === row.arn)!.allocatedUsd);

    const threshold = all[5].allocatedUsd!;
    const expensive = await everyRow("allocated", "desc", { minUsd: threshold });
    expect(expensive.map((r) => r.arn)).toEqual(all.filter((r) => r.allocatedUsd! >= threshold).map((r) => r.arn));

    const totals = await getRepositoryCostTotals({ runId, filter });
    expect(totals).toMatchObject({ repositories: expected.length, images: expected.reduce((n, r) => n + r.imageCount, 0), storedBytes: expected.reduce((n, r) => n + r.storedBytes, 0), storedBytesExact: true });
    expect(totals.allocatedUsd).toBeCloseTo(expected.reduce((n, r) => n + r.allocatedUsd!, 0), 6);
    expect((await getRepositoryCostTotals({ runId })).allocatedUsd).toBeCloseTo((await getStorageCosts()).costs.reduce((n, c) => n + Number(c.micros) / 1e6, 0), 6);
  });

  it("reads one repository's cost with the same share as the list, and the bill it comes from", async () => {
    const all = await everyRow();
    for (const row of [all[0], all[all.length - 1]]) {
      const cost = await getRepositoryCost({ runId, arn: row.arn, accountId: row.accountId, region: row.region });
      expect(cost).toMatchObject({ storedBytes: row.storedBytes, storedBytesExact: true, allocatedUsd: row.allocatedUsd, regionCostUsd: row.regionCostUsd, regionStoredBytes: row.regionStoredBytes });
      expect(cost!.listUsd).toBeCloseTo(row.listUsd, 6);
      expect(cost!.window?.days).toBe(30);
    }
    expect(await getRepositoryCost({ runId, arn: "arn:aws:ecr:us-east-1:000000000000:repository/none", accountId: "000000000000", region: "us-east-1" })).toBeNull();
  });

  it("shows a storage cost with no stored bytes to share it by as unallocated", async () => {
    const [{ last }] = await sql<{ last: string }>(`SELECT to_char(max("date"), 'YYYY-MM-DD') AS "last" FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT'`);
    const accountId = demo().sandbox.organization.accounts.find((a) => a.status === "ACTIVE")!.id;
    await sql(
      `INSERT INTO "CostDaily" ("dimension", "key", "usageType", "date", "amount", "amountUnit", "quantity", "quantityUnit", "estimated", "runId")
       VALUES ('LINKED_ACCOUNT', $1, 'APS2-TimedStorage-ByteHrs', $2::date, 1.2345678, 'USD', 1, 'GB-Mo', false, $3)`,
      [accountId, last, runId],
    );
    expect(await listUnallocatedCosts({ runId })).toEqual([{ accountId, region: "ap-southeast-2", usd: 1.234568, estimated: false }]);
    expect(await listUnallocatedCosts({ runId, filter: { region: "us-east-1" } })).toEqual([]);
  });

  it("refuses parameters that are not valid, by name", () => {
    const params = parseRepositoryCostParams({ account: "12", region: "mars-1", min: "-3", sort: "price", dir: "up", after: "junk!", name: "Team/API" });
    expect(params.ignored).toEqual(["account", "region", "min", "sort", "dir", "after"]);
    expect(params.filter).toEqual({ namePrefix: "team/api" });
    expect(parseRepositoryCostParams({ min: "12.5", sort: "size", dir: "asc" })).toMatchObject({ filter: { minUsd: 12.5 }, sort: "size", direction: "asc", ignored: [] });
  });

  it("downloads the ranked list as CSV for finops, admin and security, each region's allocated column adding up to its bill", async () => {
    for (const role of ["finops", "admin", "security"] as const) {
      session.user = as(role);
      const res = await download("?sort=size");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="portwatch-repository-costs-run-\d+\.csv"$/);
      const lines = (await res.text()).trim().split("\r\n");
      expect(lines[0]).toBe("repository,arn,account,region,images,stored_bytes,stored_bytes_exact,list_price_usd_per_month,allocated_usd,account_region_storage_usd,share_of_account_region,cost_window_from,cost_window_to");
      const rows = lines.slice(1).map((line) => line.split(","));
      expect(rows.length).toBe((await everyRow()).length);
      // Biggest stored bytes first, as asked.
      for (let i = 1; i < rows.length; i++) expect(Number(rows[i - 1][5])).toBeGreaterThanOrEqual(Number(rows[i][5]));
      const allocated = new Map<string, bigint>();
      for (const row of rows) allocated.set(`${row[2]}/${row[3]}`, (allocated.get(`${row[2]}/${row[3]}`) ?? 0n) + BigInt(row[8].replace(".", "")));
      // The cost planted in ap-southeast-2 above has no repository to be allocated to: it is in no row.
      const unallocated = new Set((await listUnallocatedCosts({ runId })).map((u) => `${u.accountId}/${u.region}`));
      for (const cost of (await getStorageCosts()).costs) {
        const key = `${cost.accountId}/${cost.region}`;
        expect(allocated.get(key), key).toBe(unallocated.has(key) ? undefined : cost.micros);
      }
    }
  });

  it("refuses auditors (403) and anonymous callers (401), and names a bad or unknown parameter (400)", async () => {
    for (const [user, status] of [[as("auditor"), 403], [null, 401]] as const) {
      session.user = user;
      const res = await download();
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain("arn:aws:ecr");
    }
    session.user = as("finops");
    for (const [query, name] of [["?account=12", "account"], ["?min=lots", "min"], ["?sort=price", "sort"], ["?page=2", "page"]]) {
      const res = await download(query);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain(name);
    }
  });
});
