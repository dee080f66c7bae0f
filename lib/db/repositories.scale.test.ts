import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import { countRepositories, listRepositories } from "./repositories";
import { DEFAULT_DIRECTION, decodeRepositoryCursor, REPOSITORY_SORTS } from "./repository-list-params";

withTestDatabase();

const REPOSITORIES = 20_000;

// 20,000 repositories in the visible snapshot (run 2) plus as many replaced versions from run 1.
beforeAll(async () => {
  const db = getDb();
  await db.collectionRun.createMany({
    data: [
      { id: 1, status: "complete", trigger: "cli", requestedBy: "cli" },
      { id: 2, status: "complete", trigger: "cli", requestedBy: "cli" },
    ],
  });
  for (const [validFrom, validTo] of [[1, 2], [2, null]] as const) {
    await db.$executeRawUnsafe(`
      INSERT INTO "Repository" ("arn", "validFrom", "validTo", "hash", "accountId", "region", "name", "uri", "createdAt",
        "imageTagMutability", "scanOnPush", "scanFrequency", "encryptionType", "lifecyclePolicy", "imageCount", "imageBytes", "latestPushedAt")
      SELECT 'arn:aws:ecr:' || region || ':' || account || ':repository/' || name, ${validFrom}, ${validTo ?? "NULL"}, 'h', account, region, name,
        account || '.dkr.ecr.' || region || '.amazonaws.com/' || name, now(),
        (ARRAY['MUTABLE','IMMUTABLE'])[1 + i % 2], false, (ARRAY['SCAN_ON_PUSH','CONTINUOUS_SCAN',NULL])[1 + i % 3],
        (ARRAY['AES256','KMS'])[1 + i % 2], CASE WHEN i % 4 = 0 THEN '{}' END, i % 300, (i % 997)::bigint * 1048576,
        CASE WHEN i % 9 = 0 THEN NULL ELSE timestamp '2026-01-01' + (i % 5000) * interval '1 minute' END
      FROM (
        SELECT i, lpad((100000000000 + i % 100)::text, 12, '0') AS account, (ARRAY['us-east-1','eu-west-1','ap-south-1'])[1 + i % 3] AS region,
          'team-' || (i % 40) || '/service-' || i AS name
        FROM generate_series(1, ${REPOSITORIES}) AS i
      ) s`);
  }
  await db.$executeRawUnsafe(`ANALYZE "Repository"`);
}, 120_000);

describe("the repository list at 20,000 repositories", () => {
  it("counts the snapshot, not the history", async () => {
    expect(await countRepositories({ runId: 2 })).toBe(REPOSITORIES);
    expect(await countRepositories({ runId: 2, filter: { encryption: "KMS", name: "team-3" } })).toBeGreaterThan(0);
  });

  for (const sort of REPOSITORY_SORTS) {
    // How fast is measured by bench/repositories-page.mjs, not here.
    it(`serves a first and a later page by ${sort}, 50 rows each, from the snapshot only`, async () => {
      const direction = DEFAULT_DIRECTION[sort];
      const first = await listRepositories({ runId: 2, sort, direction });
      expect(first.rows).toHaveLength(50);
      const cursor = decodeRepositoryCursor(first.next!, sort, direction)!;
      const second = await listRepositories({ runId: 2, sort, direction, after: cursor });
      expect(second.rows).toHaveLength(50);
      expect(new Set([...first.rows, ...second.rows].map((r) => r.arn)).size).toBe(100);
    });
  }

  it("lets PostgreSQL stop at the LIMIT when sorting by name", async () => {
    const plan = await getDb().$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT "arn" FROM "Repository" r WHERE r."validFrom" <= 2 AND (r."validTo" IS NULL OR r."validTo" > 2) AND r."deletedAt" IS NULL
       ORDER BY r."name", r."arn" LIMIT 51`,
    );
    const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Limit/);
  });
});
