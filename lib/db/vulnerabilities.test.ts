import { beforeAll, describe, expect, it } from "vitest";
import { SEVERITY_ORDER, severityRank } from "@/lib/severity";
import { sql, withCollectedDemo } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { getVulnerabilityCounts, listVulnerabilities, listVulnerableImages, type VulnerabilityCursor, type VulnerabilityFilter } from "./vulnerabilities";

// The Vulnerabilities page's reads over a real collection of the demo organisation, checked
// against the same findings aggregated here in plain code.

const db = withTestDatabase();
const demo = withCollectedDemo(db);
let runId: number;
interface Row {
  name: string;
  severity: string;
  packageName: string | null;
  fixedInVersion: string | null;
  repositoryArn: string;
  accountId: string;
}
let findings: Row[];

beforeAll(async () => {
  runId = demo().run.id;
  findings = await sql<Row>(`SELECT "name", "severity", "packageName", "fixedInVersion", "repositoryArn", "accountId" FROM "Finding" WHERE "validTo" IS NULL`);
});

/** Names in page order: most severe first (a name's worst severity), then A to Z. */
function expectedOrder(rows: Row[]): string[] {
  const worst = new Map<string, number>();
  for (const r of rows) worst.set(r.name, Math.min(worst.get(r.name) ?? Infinity, severityRank(r.severity)));
  return [...worst].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name]) => name);
}

async function walk(filter: VulnerabilityFilter, limit: number): Promise<string[]> {
  const names: string[] = [];
  let after: VulnerabilityCursor | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await listVulnerabilities({ runId, filter, after, limit });
    names.push(...page.rows.map((r) => r.name));
    if (!page.next) return names;
    after = page.next;
  }
  throw new Error("paging never ended");
}

describe("the Vulnerabilities page's reads", () => {
  it("has findings to read", () => {
    expect(findings.length).toBeGreaterThan(100);
  });

  it("counts findings, vulnerabilities and repositories per severity as the findings say", async () => {
    const counts = await getVulnerabilityCounts(runId);
    for (const severity of SEVERITY_ORDER) {
      const of = findings.filter((f) => f.severity === severity);
      const bucket = counts.bySeverity.find((b) => b.severity === severity);
      if (!of.length) continue;
      expect(bucket, severity).toMatchObject({ findings: of.length, vulnerabilities: new Set(of.map((f) => f.name)).size, repositories: new Set(of.map((f) => f.repositoryArn)).size });
    }
    expect(counts.total.findings).toBe(findings.length);
  });

  it("pages through every vulnerability once, most severe first, forwards and backwards", async () => {
    const forward = await walk({}, 7);
    expect(forward).toEqual(expectedOrder(findings));
    // Backwards from the end gives the same pages.
    let page = await listVulnerabilities({ runId, filter: {}, limit: 7 });
    const pages = [page.rows.map((r) => r.name)];
    while (page.next) {
      page = await listVulnerabilities({ runId, filter: {}, after: page.next, limit: 7 });
      pages.push(page.rows.map((r) => r.name));
    }
    const back = await listVulnerabilities({ runId, filter: {}, before: page.previous!, limit: 7 });
    expect(back.rows.map((r) => r.name)).toEqual(pages[pages.length - 2]);
  });

  it.each<[string, VulnerabilityFilter, (f: Row) => boolean]>([
    ["severity", { severity: "CRITICAL" }, (f) => f.severity === "CRITICAL"],
    ["a fix available", { fix: "yes" }, (f) => f.fixedInVersion !== null],
    ["no fix", { fix: "no" }, (f) => f.fixedInVersion === null],
    ["a package name, in any case", { packageName: "SSL" }, (f) => (f.packageName ?? "").toLowerCase().includes("ssl")],
    ["a package name with LIKE's wildcards taken literally", { packageName: "%" }, (f) => (f.packageName ?? "").includes("%")],
  ])("filters by %s", async (_, filter, keep) => {
    expect(await walk(filter, 50)).toEqual(expectedOrder(findings.filter(keep)));
  });

  it("filters by account, and lists each affected image of a vulnerability", async () => {
    const accountId = findings[0].accountId;
    expect(await walk({ accountId }, 50)).toEqual(expectedOrder(findings.filter((f) => f.accountId === accountId)));
    const name = findings[0].name;
    const images = await listVulnerableImages(runId, name);
    const repositories = new Set(findings.filter((f) => f.name === name).map((f) => f.repositoryArn));
    expect(images.total).toBe(repositories.size);
    expect(new Set(images.rows.map((r) => r.arn))).toEqual(repositories);
  });
});
