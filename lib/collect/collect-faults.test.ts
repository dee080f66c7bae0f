import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorWorker } from "@/lib/collect/worker";
import { closePool } from "@/lib/db/pool";
import { getRepositories } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collect, configureSandboxAccounts, pointSdkAt, sql, startTestWorker } from "@/test/collector";
import { withTestDatabase } from "@/test/database";

// The faults organisation: a member account without the role, one whose role wants another
// external id, AccessDenied on GetLifecyclePolicy in one account, an opt-in region one account
// never enabled, and occasional 500s and slow answers.

const db = withTestDatabase();
let sandbox: RunningSandbox;
let worker: CollectorWorker;
let run: Awaited<ReturnType<typeof collect>>;

interface TargetRow {
  accountId: string;
  region: string;
  status: string;
  errorName: string | null;
  errorOperation: string | null;
  error: string | null;
}

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("faults"));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
  worker = await startTestWorker(db.url());
  run = await collect(worker);
});

afterAll(async () => {
  await worker?.stop();
  await closePool();
  await sandbox?.close();
});

const targets = () => sql<TargetRow>(`SELECT "accountId", "region", "status"::text, "errorName", "errorOperation", "error" FROM "CollectionTarget" WHERE "runId" = $1 AND "kind" = 'region'`, [run.id]);

describe("collecting an organisation with faults", () => {
  it("finishes as partial, naming each failed target with AWS's error", async () => {
    const faults = sandbox.organization.faults!;
    expect(run.status).toBe("partial");
    const rows = await targets();
    const failed = rows.filter((t) => t.status === "failed");
    const regions = sandbox.organization.options.regions;

    const noRole = failed.filter((t) => t.accountId === faults.noRoleAccountId);
    expect(noRole.length).toBe(regions.length);
    for (const t of noRole) expect(t).toMatchObject({ errorName: "AccessDenied", errorOperation: "sts:AssumeRole" });

    const wrongId = failed.filter((t) => t.accountId === faults.wrongExternalIdAccountId);
    expect(wrongId.length).toBe(regions.length);
    for (const t of wrongId) expect(t).toMatchObject({ errorName: "AccessDenied", errorOperation: "sts:AssumeRole" });

    const disabled = failed.filter((t) => t.accountId === faults.disabledRegion.accountId);
    expect(disabled).toEqual([expect.objectContaining({ region: faults.disabledRegion.region, errorName: "UnrecognizedClientException" })]);

    // Nothing else failed: every target unaffected by a fault was collected.
    expect(failed.length).toBe(noRole.length + wrongId.length + disabled.length);
    expect(rows.filter((t) => t.status === "done").length).toBe(rows.length - failed.length);
  });

  it("stores nothing for a failed target and invents no data for it", async () => {
    const faults = sandbox.organization.faults!;
    for (const accountId of [faults.noRoleAccountId, faults.wrongExternalIdAccountId]) {
      const [repos] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Repository" WHERE "accountId" = $1`, [accountId]);
      const [registries] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Registry" WHERE "accountId" = $1`, [accountId]);
      expect(repos.count).toBe(0);
      expect(registries.count).toBe(0);
    }
    const { accountId, region } = faults.disabledRegion;
    const [disabled] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Repository" WHERE "accountId" = $1 AND "region" = $2`, [accountId, region]);
    expect(disabled.count).toBe(0);
    // The same account's enabled region was collected in full.
    const other = sandbox.organization.options.regions.find((r) => r !== region)!;
    const [enabled] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "Repository" WHERE "accountId" = $1 AND "region" = $2 AND "validTo" IS NULL`, [accountId, other]);
    expect(enabled.count).toBe(getRepositories(sandbox.organization, accountId, other).length);
  });

  it("records AccessDenied on one operation per repository, leaving that field unknown rather than 'none'", async () => {
    const { accountId, operation } = sandbox.organization.faults!.accessDenied;
    const repos = await sql<{ lifecyclePolicy: string | null; readErrors: Record<string, { errorName: string; kind: string; accountId: string; operation: string }> }>(
      `SELECT "lifecyclePolicy", "readErrors" FROM "Repository" WHERE "accountId" = $1 AND "validTo" IS NULL`,
      [accountId],
    );
    expect(repos.length).toBeGreaterThan(0);
    for (const repo of repos) {
      expect(repo.lifecyclePolicy).toBeNull();
      expect(repo.readErrors[operation]).toMatchObject({ errorName: "AccessDeniedException", kind: "access-denied", accountId, operation });
    }
    const [errors] = await sql<{ count: number }>(`SELECT count(*)::int AS count FROM "CollectionError" WHERE "runId" = $1 AND "accountId" = $2 AND "operation" = $3`, [run.id, accountId, operation]);
    expect(errors.count).toBe(repos.length);
  });
});
