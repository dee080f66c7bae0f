import { afterAll, describe, expect, it } from "vitest";
import { sql } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { pruneSupersededVersions } from "./inventory-retention";
import { closePool } from "./pool";

withTestDatabase();
afterAll(() => closePool());

const repo = (arn: string, validFrom: number, validTo: number | null, deleted = false) =>
  sql(
    `INSERT INTO "Repository" ("arn", "validFrom", "validTo", "hash", "accountId", "region", "name", "uri", "createdAt", "imageTagMutability", "scanOnPush", "encryptionType", "deletedAt")
     VALUES ($1, $2, $3, 'h', '111111111111', 'us-east-1', $1, $1, now(), 'MUTABLE', false, 'AES256', $4)`,
    [arn, validFrom, validTo, deleted ? new Date() : null],
  );

describe("pruning superseded inventory versions", () => {
  it("removes versions replaced before the window, and keeps current, recent and deletion-marking ones", async () => {
    await sql(
      `INSERT INTO "CollectionRun" ("id", "status", "trigger", "requestedBy", "finishedAt") VALUES
        (1, 'complete', 'cli', 'cli', now() - interval '200 days'), (2, 'complete', 'cli', 'cli', now() - interval '100 days'),
        (3, 'complete', 'cli', 'cli', now() - interval '10 days'), (4, 'complete', 'cli', 'cli', now())`,
    );
    await repo("a", 1, 2); // replaced by run 2, 100 days ago: gone
    await repo("a", 2, 3); // replaced by run 3, 10 days ago: kept
    await repo("a", 3, null); // current
    await repo("b", 1, 2, true); // deleted in run 2: kept, it records the deletion
    expect(await pruneSupersededVersions(90)).toBe(1);
    const left = await sql<{ arn: string; validFrom: number }>(`SELECT "arn", "validFrom" FROM "Repository" ORDER BY "arn", "validFrom"`);
    expect(left).toEqual([
      { arn: "a", validFrom: 2 },
      { arn: "a", validFrom: 3 },
      { arn: "b", validFrom: 1 },
    ]);
  });
});
