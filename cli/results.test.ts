import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig } from "@/lib/sandbox/organization";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { portwatch } from "@/test/cli";
import { awsEnvironment } from "@/test/collector";
import { createTestDatabase } from "@/test/database";

// `portwatch results` as a pipeline uses it, after `portwatch collect` evaluated the run.

let dir: string;
let demo: RunningSandbox;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-results-"));
  demo = await startSandbox(sandboxOptions("demo"));
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, ...awsEnvironment(demo) };
  await writeFile(path.join(dir, "demo.json"), JSON.stringify(accountsConfig(demo.organization)));
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("portwatch results", () => {
  it("says nothing has been evaluated before the first collection", async () => {
    const run = await portwatch(["results"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing has been evaluated yet/);
  });

  it("is ready right after collect, which prints the evaluation's counts and score", { timeout: 90_000 }, async () => {
    const run = await portwatch(["collect", "--config", path.join(dir, "demo.json")], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Evaluated run #1: \d+ results \(\d+ pass, \d+ fail, 0 excepted, 0 error, \d+ manual, \d+ not applicable\); score \d+\.\d%/);
  });

  it("prints JSON in DESIGN.md's shape, filtered by framework and status", { timeout: 30_000 }, async () => {
    const run = await portwatch(["results", "--framework", "aws-fsbp", "--status", "FAIL", "--format", "json"], env);
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(Object.keys(r).sort()).toEqual(["accountId", "checks", "control", "framework", "reason", "region", "resource", "scope", "status"]);
      expect(r).toMatchObject({ framework: "aws-fsbp", status: "FAIL", scope: "repository", accountId: expect.stringMatching(/^\d{12}$/) });
      expect(r.resource).toMatch(/^arn:aws:ecr:[a-z0-9-]+:\d{12}:repository\/.+/);
      expect(r.checks).toEqual(expect.arrayContaining([{ check: expect.any(String), status: "FAIL" }]));
    }
    expect(new Set(results.map((r) => r.control))).toEqual(new Set(["ECR.1", "ECR.2", "ECR.3"]));
  });

  it("prints one CSV row per result, with a header a spreadsheet reads", { timeout: 30_000 }, async () => {
    const [csv, json] = await Promise.all([portwatch(["results", "--format", "csv", "--account", demo.organization.accounts[1].id], env), portwatch(["results", "--format", "json", "--account", demo.organization.accounts[1].id], env)]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("framework,control,severity,scope,accountId,region,resource,status,reason,checks");
    expect(lines.length - 1).toBe((JSON.parse(json.stdout) as unknown[]).length);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0]))).toEqual(new Set(FRAMEWORKS.map((f) => f.id)));
  });

  it("prints a readable table by default, with each reason under its row", { timeout: 30_000 }, async () => {
    const run = await portwatch(["results", "--framework", "ecr-cost", "--status", "fail"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^FAIL\s+ecr-cost\s+COST-0\d\s+\d{12}\s+[a-z0-9-]+\s+\S+\n\s+\S.+/m);
    expect(run.stderr).toMatch(/\d+ result\(s\) from run #1/);
  });

  it("refuses bad options in one line, before touching the database", async () => {
    const offline = { ...env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" };
    for (const [args, message] of [
      [["results", "--framework", "pci"], /--framework must be one of csa-ccm-v5, nist-800-53-r5, aws-fsbp, aws-securityhub, ecr-cost, not "pci"/],
      [["results", "--status", "BROKEN"], /--status must be one of .*EXCEPTED.*, not "BROKEN"/],
      [["results", "--account", "12"], /--account must be a 12-digit AWS account id, not "12"/],
      [["results", "--format", "xml"], /--format must be table, json or csv, not "xml"/],
    ] as const) {
      const run = await portwatch([...args], offline);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(message)]);
    }
  });
});
