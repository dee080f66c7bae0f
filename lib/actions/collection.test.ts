import { beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { withTestDatabase } from "@/test/database";
import { sessionUser } from "@/test/session";

// The session a browser would carry; the guard, the action and the database are real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { collectNowAction } = await import("./collection");

withTestDatabase();

const as = sessionUser;

beforeEach(async () => {
  await getDb().collectionRun.deleteMany();
});

describe("collectNowAction", () => {
  it("queues a manual run for admin and security, with who asked", async () => {
    session.user = as("security");
    const result = await collectNowAction({});
    expect(result.serverError).toBeUndefined();
    const run = await getDb().collectionRun.findUniqueOrThrow({ where: { id: result.data!.runId } });
    expect(run).toMatchObject({ status: "queued", trigger: "manual", requestedBy: "security@example.com", scope: {} });
    const audit = await getDb().auditLog.findFirst({ where: { action: "collection.request", targetId: String(run.id) } });
    expect(audit?.actorEmail).toBe("security@example.com");
  });

  it("refuses finops, auditors and anonymous callers, queueing nothing", async () => {
    for (const [user, code] of [[as("finops"), "forbidden"], [as("auditor"), "forbidden"], [null, "unauthenticated"]] as const) {
      session.user = user;
      const result = await collectNowAction({});
      expect(result.serverError?.code).toBe(code);
      expect(result.data).toBeUndefined();
    }
    expect(await getDb().collectionRun.count()).toBe(0);
  });

  it("says which run is active instead of queueing a second one", async () => {
    session.user = as("admin");
    const first = await collectNowAction({});
    expect(first.data?.runId).toBeGreaterThan(0);
    const second = await collectNowAction({});
    expect(second.serverError).toEqual({ code: "conflict", message: `Run #${first.data!.runId} is already running` });

    await getDb().collectionRun.update({ where: { id: first.data!.runId }, data: { status: "running" } });
    expect((await collectNowAction({})).serverError?.message).toBe(`Run #${first.data!.runId} is already running`);
    expect(await getDb().collectionRun.count()).toBe(1);

    await getDb().collectionRun.update({ where: { id: first.data!.runId }, data: { status: "partial" } });
    expect((await collectNowAction({})).data?.runId).toBeGreaterThan(first.data!.runId);
  });

  it("keeps a scope of valid accounts and regions, and names a bad one", async () => {
    session.user = as("admin");
    const bad = await collectNowAction({ accountIds: ["123"], regions: ["mars-north-1"] });
    expect(bad.validationErrors).toMatchObject({
      fieldErrors: { accountIds: ['"123" is not a 12-digit AWS account id'], regions: ['"mars-north-1" is not a known AWS region'] },
    });
    expect(await getDb().collectionRun.count()).toBe(0);

    // A well-formed account that is not listed is refused before a run is queued.
    const unlisted = await collectNowAction({ accountIds: ["111111111111"] });
    expect(unlisted.serverError).toEqual({ code: "invalid", message: "Account 111111111111 is not listed, or is disabled" });
    expect(await getDb().collectionRun.count()).toBe(0);

    await getDb().awsAccount.create({ data: { id: "111111111111", name: "scope", roleArn: "arn:aws:iam::111111111111:role/R", regions: [], source: "ui" } });
    const ok = await collectNowAction({ accountIds: ["111111111111", "111111111111"], regions: ["eu-west-1"] });
    const run = await getDb().collectionRun.findUniqueOrThrow({ where: { id: ok.data!.runId } });
    expect(run.scope).toEqual({ accountIds: ["111111111111"], regions: ["eu-west-1"] });
  });
});
