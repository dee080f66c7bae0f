import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig } from "@/lib/sandbox/organization";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { portwatch } from "@/test/cli";
import { awsEnvironment } from "@/test/collector";
import { createTestDatabase } from "@/test/database";

// `portwatch collect` as a user runs it: a real process, the accounts config file, the SDK's
// own environment variables pointing at the sandbox, and the exit status scripts rely on.

let dir: string;
let demo: RunningSandbox;
let faults: RunningSandbox;
const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-collect-"));
  demo = await startSandbox(sandboxOptions("demo"));
  faults = await startSandbox(sandboxOptions("faults"));
  await writeFile(path.join(dir, "demo.json"), JSON.stringify(accountsConfig(demo.organization)));
  await writeFile(path.join(dir, "faults.json"), JSON.stringify(accountsConfig(faults.organization)));
});

afterAll(async () => {
  await demo?.close();
  await faults?.close();
  await Promise.all(databases.map((db) => db.drop()));
  await rm(dir, { recursive: true, force: true });
});

async function database(): Promise<string> {
  const db = await createTestDatabase();
  databases.push(db);
  return db.url;
}

describe("portwatch collect", () => {
  it("collects every target and exits 0", { timeout: 90_000 }, async () => {
    const run = await portwatch(["collect", "--config", path.join(dir, "demo.json")], { DATABASE_URL: await database(), ...awsEnvironment(demo) });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const targets = demo.organization.accounts.filter((a) => a.status === "ACTIVE").length * demo.organization.options.regions.length + 1;
    expect(run.stdout).toMatch(new RegExp(`Run #1 complete: ${targets}/${targets} targets collected`));
    expect(run.stdout).toMatch(/Cost Explorer requests \(USD \d+\.\d\d\)/);
    expect(run.stdout).not.toMatch(/What could not be read/);
  });

  it("exits 3 when some targets fail, and names each with its account, region, call and AWS error", { timeout: 90_000 }, async () => {
    const url = await database();
    const run = await portwatch(["collect", "--config", path.join(dir, "faults.json")], { DATABASE_URL: url, ...awsEnvironment(faults) });
    expect(run.code).toBe(3);
    const f = faults.organization.faults!;
    expect(run.stdout).toMatch(/Run #1 partial/);
    expect(run.stdout).toMatch(new RegExp(`${f.noRoleAccountId}\\s+us-east-1\\s+sts:AssumeRole\\s+AccessDenied\\s+1\\s+target failed`));
    expect(run.stdout).toMatch(new RegExp(`${f.disabledRegion.accountId}\\s+${f.disabledRegion.region}\\s+\\S+\\s+UnrecognizedClientException\\s+1\\s+target failed`));
    expect(run.stdout).toMatch(new RegExp(`${f.accessDenied.accountId}\\s+\\S+\\s+ecr:GetLifecyclePolicy\\s+AccessDeniedException\\s+\\d+\\s+field unknown`));

    // Limited to one account and region: only that target.
    const one = await portwatch(["collect", "--account", f.accessDenied.accountId, "--region", "eu-west-1"], { DATABASE_URL: url, ...awsEnvironment(faults) });
    expect(one.stdout).toMatch(/Run #2 partial: 1\/1 targets collected/);
    expect(one.code).toBe(3);
  });

  it("refuses bad input in one line before collecting anything", async () => {
    const env = { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", ...awsEnvironment(demo) };
    for (const [args, message] of [
      [["collect", "--account", "12345"], /--account must be a 12-digit AWS account id, not "12345"/],
      [["collect", "--region", "moon-1"], /--region must be an AWS region such as us-east-1, not "moon-1"/],
    ] as const) {
      const run = await portwatch([...args], env);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(message)]);
    }
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ ...accountsConfig(demo.organization), accounts: [{ id: "1234", name: "x", roleArn: "arn:aws:iam::1234:role/R" }] }));
    const url = await database();
    const run = await portwatch(["collect", "--config", bad], { DATABASE_URL: url, ...awsEnvironment(demo) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/accounts\[0\]\.id/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
