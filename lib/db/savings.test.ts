import { beforeAll, describe, expect, it, vi } from "vitest";
import { SAVING_KINDS } from "@/lib/cost/savings";
import { getImages, getRepositories } from "@/lib/sandbox/ecr-model";
import { listMisconfigurations } from "@/lib/sandbox/misconfigurations";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import type { SessionUser } from "./sessions";
import { computeRunSavings, getSavingsRun, getSavingsTotals, listSavings, listSavingsAccounts, parseSavingsParams, type SavingRow, type SavingsFilter } from "./savings";
import { sessionUser } from "@/test/session";

// The demo organisation collected through the real SDK, then its savings computed as the
// evaluation step computes them: the planted cost misconfigurations must be on the list.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
const { GET } = await import("@/app/api/costs/savings/route");
const as = sessionUser;
const download = (query = "") => GET(new Request(`http://localhost/api/costs/savings${query}`), { params: Promise.resolve({}) });

const db = withTestDatabase();
const demo = withCollectedDemo(db, { stopWorker: true });
let runId: number;
beforeAll(() => {
  runId = demo().run.id;
});

async function everySaving(filter: SavingsFilter = {}): Promise<SavingRow[]> {
  const rows: SavingRow[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const page = await listSavings({ runId, filter, after: after ? parseSavingsParams({ after }).after : undefined, limit: 9 });
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error("the pager never ended");
}

const micros = (usd: number | null) => Math.round((usd ?? 0) * 1_000_000);

describe("the savings of the demo organisation", () => {
  let summary: Awaited<ReturnType<typeof computeRunSavings>>;

  it("computes a non-empty list whose total is exactly the sum of its counted rows", async () => {
    summary = await computeRunSavings(runId);
    expect(summary.rows).toBeGreaterThan(10);
    expect(await getSavingsRun(runId)).toMatchObject({ runId });
    const rows = await everySaving();
    expect(rows).toHaveLength(summary.rows);
    const totals = await getSavingsTotals({ runId });
    expect(totals.rows).toBe(rows.length);
    expect(micros(totals.totalUsd)).toBe(rows.filter((r) => r.counted).reduce((n, r) => n + micros(r.monthlyUsd), 0));
    expect(micros(totals.totalUsd)).toBe(micros(summary.totalMonthlyUsd));
    expect(totals.totalUsd).toBeGreaterThan(0);
    // Per kind, the counted and overlapping parts add up to what the kind lists.
    for (const kind of totals.byKind) {
      const listed = rows.filter((r) => r.kind === kind.kind);
      expect(kind.rows).toBe(listed.length);
      expect(micros(kind.countedUsd + kind.overlappingUsd)).toBe(listed.reduce((n, r) => n + micros(r.monthlyUsd), 0));
    }
  });

  it("ranks the largest first, the unquantified last, and counts each repository's overlapping lifecycle actions once", async () => {
    const rows = await everySaving();
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].monthlyUsd ?? -1).toBeGreaterThanOrEqual(rows[i].monthlyUsd ?? -1);
    const counted = new Map<string, number>();
    for (const row of rows) {
      if (row.counted && ["lifecycle-policy", "stale-images", "untagged-images"].includes(row.kind)) counted.set(row.resource, (counted.get(row.resource) ?? 0) + 1);
      if (row.monthlyUsd === null) expect(row.counted).toBe(false);
    }
    expect([...counted.values()].every((n) => n === 1)).toBe(true);
    for (const row of rows.filter((r) => !r.counted && r.monthlyUsd !== null)) {
      const winner = rows.find((r) => r.resource === row.resource && r.counted)!;
      expect(winner.monthlyUsd!).toBeGreaterThanOrEqual(row.monthlyUsd!);
    }
  });

  it("finds the planted misconfigurations: no or weak lifecycle policies, stale repositories, replicate-everything registries, oversized images", async () => {
    const rows = await everySaving();
    const has = (kind: string, resource: string) => rows.some((r) => r.kind === kind && r.resource === resource);
    const planted = listMisconfigurations(demo().sandbox.organization);
    const org = demo().sandbox.organization;
    const repositories = new Map(org.accounts.flatMap((a) => org.options.regions.flatMap((region) => getRepositories(org, a.id, region))).map((r) => [r.arn, r]));

    const stale = planted.filter((m) => m.check === "stale-images");
    expect(stale.length).toBeGreaterThan(0);
    for (const m of stale) expect(has("stale-images", m.resource), m.resource).toBe(true);

    const replication = planted.filter((m) => m.check === "selective-replication");
    expect(replication.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kind === "replication-filter").map((r) => r.resource).sort()).toEqual(replication.map((m) => m.resource).sort());

    const oversized = planted.filter((m) => m.check === "image-size");
    expect(rows.filter((r) => r.kind === "oversized-image").map((r) => r.resource).sort()).toEqual(oversized.map((m) => m.resource).sort());
    expect(rows.filter((r) => r.kind === "oversized-image").every((r) => r.monthlyUsd === null)).toBe(true);

    // A repository without a compliant policy saves something by adopting it when it holds more
    // than 10 images, or an untagged one older than a day.
    const weak = planted.filter((m) => m.check === "lifecycle-cost-rules");
    let expected = 0;
    for (const m of weak) {
      const images = getImages(org, repositories.get(m.resource)!);
      const untaggedOld = images.some((i) => i.tags.length === 0 && i.pushedAt.getTime() < org.now.getTime() - 86_400_000);
      if (images.length > 10 || untaggedOld) {
        expected++;
        expect(has("lifecycle-policy", m.resource), m.resource).toBe(true);
      }
    }
    expect(expected).toBeGreaterThan(0);
    // Only repositories that fail COST-01 are told to adopt its policy.
    const weakArns = new Set(weak.map((m) => m.resource));
    expect(rows.filter((r) => r.kind === "lifecycle-policy").every((r) => weakArns.has(r.resource))).toBe(true);
  });

  it("filters by action and account, and offers the accounts that have savings", async () => {
    const all = await everySaving();
    for (const kind of SAVING_KINDS) {
      expect((await everySaving({ kind })).map((r) => r.resource)).toEqual(all.filter((r) => r.kind === kind).map((r) => r.resource));
    }
    const accounts = await listSavingsAccounts(runId);
    expect(accounts).toEqual([...new Set(all.map((r) => r.accountId))].sort());
    const one = await everySaving({ accountId: accounts[0] });
    expect(one.length).toBe(all.filter((r) => r.accountId === accounts[0]).length);
    const totals = await getSavingsTotals({ runId, filter: { accountId: accounts[0] } });
    expect(micros(totals.totalUsd)).toBe(one.filter((r) => r.counted).reduce((n, r) => n + micros(r.monthlyUsd), 0));
  });

  it("walks back from a later page to the same rows", async () => {
    const firstPage = await listSavings({ runId, limit: 4 });
    const second = await listSavings({ runId, limit: 4, after: parseSavingsParams({ after: firstPage.next! }).after });
    const back = await listSavings({ runId, limit: 4, before: parseSavingsParams({ before: second.previous! }).before });
    expect(back.rows.map((r) => `${r.kind} ${r.resource}`)).toEqual(firstPage.rows.map((r) => `${r.kind} ${r.resource}`));
    expect(back.previous).toBeNull();
  });

  it("replaces a run's savings when computed again, and keeps nothing for runs without an evaluation", async () => {
    await sql(
      `INSERT INTO "CostSaving" ("runId", "kind", "resource", "accountId", "region", "images", "bytes", "bytesExact", "monthlyUsd", "counted", "method")
       VALUES ($1, 'stale-images', 'arn:aws:ecr:us-east-1:111111111111:repository/old', '111111111111', 'us-east-1', 1, 1, true, 1, true, 'old')`,
      [runId + 1000],
    );
    const again = await computeRunSavings(runId);
    expect(again.rows).toBe(summary.rows);
    const [{ count, runs }] = await sql<{ count: number; runs: number }>(`SELECT count(*)::int AS "count", count(DISTINCT "runId")::int AS "runs" FROM "CostSaving"`);
    expect({ count, runs }).toEqual({ count: summary.rows, runs: 1 });
  });

  it("refuses filters that are not valid, by name", () => {
    expect(parseSavingsParams({ kind: "delete-everything", account: "abc", after: "%%%" }).ignored).toEqual(["kind", "account", "after"]);
    expect(parseSavingsParams({ kind: "stale-images", account: "111111111111" })).toMatchObject({ filter: { kind: "stale-images", accountId: "111111111111" }, ignored: [] });
  });

  it("downloads every saving as CSV, the counted rows adding up to the page's total; refuses other roles and bad filters", async () => {
    session.user = as("finops");
    const res = await download("?kind=stale-images");
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("run,action,kind,resource,account,region,images,bytes,bytes_exact,usd_per_month,counted_in_total,method");
    const stale = await everySaving({ kind: "stale-images" });
    expect(lines.length - 1).toBe(stale.length);
    const everything = (await (await download()).text()).trim().split("\r\n").slice(1);
    expect(everything.length).toBe(summary.rows);
    // usd_per_month and counted_in_total are the 10th and 11th cells; the method (last) may hold commas, quoted.
    const cells = everything.map((line) => line.split(","));
    const counted = cells.filter((c) => c[10] === "true").reduce((n, c) => n + BigInt(c[9].replace(".", "")), 0n);
    expect(Number(counted)).toBe(micros((await getSavingsTotals({ runId })).totalUsd));

    for (const [user, status] of [[as("auditor"), 403], [null, 401]] as const) {
      session.user = user;
      expect((await download()).status).toBe(status);
    }
    session.user = as("security");
    for (const [query, name] of [["?kind=everything", "kind"], ["?account=x", "account"], ["?sort=usd", "sort"]]) {
      const bad = await download(query);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toContain(name);
    }
  });
});
