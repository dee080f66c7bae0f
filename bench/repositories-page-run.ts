import { disconnectDb, getDb } from "@/lib/db/client";
import { countRepositories, listRepositories } from "@/lib/db/repositories";
import { DEFAULT_DIRECTION, decodeRepositoryCursor, REPOSITORY_SORTS } from "@/lib/db/repository-list-params";
import { createBenchDatabase } from "./bench-database";

const database = await createBenchDatabase("portwatch_bench_repositories");
const db = getDb();
await db.collectionRun.createMany({ data: [1, 2].map((id) => ({ id, status: "complete" as const, trigger: "cli" as const, requestedBy: "cli" })) });
for (const [validFrom, validTo] of [[1, 2], [2, null]] as const) {
  await db.$executeRawUnsafe(`
    INSERT INTO "Repository" ("arn", "validFrom", "validTo", "hash", "accountId", "region", "name", "uri", "createdAt",
      "imageTagMutability", "scanOnPush", "scanFrequency", "encryptionType", "lifecyclePolicy", "imageCount", "imageBytes", "latestPushedAt")
    SELECT 'arn:aws:ecr:' || region || ':' || account || ':repository/' || name, ${validFrom}, ${validTo ?? "NULL"}, 'h', account, region, name,
      account || '.dkr.ecr.' || region || '.amazonaws.com/' || name, now(), (ARRAY['MUTABLE','IMMUTABLE'])[1 + i % 2], false,
      (ARRAY['SCAN_ON_PUSH','CONTINUOUS_SCAN',NULL])[1 + i % 3], (ARRAY['AES256','KMS'])[1 + i % 2], CASE WHEN i % 4 = 0 THEN '{}' END,
      i % 300, (i % 997)::bigint * 1048576, timestamp '2026-01-01' + (i % 5000) * interval '1 minute'
    FROM (SELECT i, lpad((100000000000 + i % 100)::text, 12, '0') AS account, (ARRAY['us-east-1','eu-west-1','ap-south-1'])[1 + i % 3] AS region,
                 'team-' || (i % 40) || '/service-' || i AS name FROM generate_series(1, 20000) AS i) s`);
}
await db.$executeRawUnsafe(`ANALYZE "Repository"`);

async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[10];
}

console.log("| query | median |\n|---|---|");
console.log(`| count, no filter | ${(await median(() => countRepositories({ runId: 2 }))).toFixed(1)} ms |`);
console.log(`| count, name contains "team-3" and KMS | ${(await median(() => countRepositories({ runId: 2, filter: { name: "team-3", encryption: "KMS" } }))).toFixed(1)} ms |`);
for (const sort of REPOSITORY_SORTS) {
  const direction = DEFAULT_DIRECTION[sort];
  console.log(`| first page by ${sort} | ${(await median(() => listRepositories({ runId: 2, sort, direction }))).toFixed(1)} ms |`);
  let page = await listRepositories({ runId: 2, sort, direction });
  for (let i = 0; i < 9; i++) page = await listRepositories({ runId: 2, sort, direction, after: decodeRepositoryCursor(page.next!, sort, direction)! });
  const cursor = decodeRepositoryCursor(page.next!, sort, direction)!;
  console.log(`| eleventh page by ${sort} | ${(await median(() => listRepositories({ runId: 2, sort, direction, after: cursor }))).toFixed(1)} ms |`);
}
await disconnectDb();
await database.drop();
