import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import { withTestDatabase } from "@/test/database";
import { getDb } from "./client";
import { getRunDetail, listCollectionErrors, listCollectionRuns, parseRunId, type RunDetailJson } from "./runs";

// The session a browser would carry; the guard, the route and the database are real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));

const { GET } = await import("@/app/api/runs/[id]/route");

withTestDatabase();

const RUNS = 120;

beforeAll(async () => {
  const db = getDb();
  await db.collectionRun.createMany({
    data: Array.from({ length: RUNS }, (_, i) => ({
      id: i + 1,
      status: i === RUNS - 1 ? ("running" as const) : i % 10 === 3 ? ("failed" as const) : ("complete" as const),
      trigger: "schedule" as const,
      requestedBy: "schedule",
      targetsTotal: 3,
      targetsDone: i === RUNS - 1 ? 1 : 3,
    })),
  });
  await db.collectionTarget.createMany({
    data: [
      { runId: RUNS, kind: "region", accountId: "222222222222", region: "us-east-1", status: "done", attempts: 1, calls: 40, startedAt: new Date("2026-03-01T10:00:00Z"), finishedAt: new Date("2026-03-01T10:00:05Z") },
      { runId: RUNS, kind: "cost", accountId: "999999999999", region: "global", status: "pending" },
      {
        runId: RUNS,
        kind: "region",
        accountId: "111111111111",
        region: "eu-west-1",
        status: "failed",
        attempts: 3,
        errorName: "AccessDenied",
        errorOperation: "AssumeRole",
        error: "not authorized to perform sts:AssumeRole",
      },
    ],
  });
  await db.collectionError.createMany({
    data: [
      { runId: RUNS, accountId: "222222222222", region: "us-east-1", service: "ecr", operation: "GetLifecyclePolicy", resource: "payments/api", errorName: "AccessDeniedException", kind: "access-denied", message: "denied" },
      { runId: RUNS, accountId: "111111111111", region: "eu-west-1", service: "sts", operation: "AssumeRole", errorName: "AccessDenied", kind: "access-denied", message: "no" },
      { runId: RUNS, accountId: "222222222222", region: "us-east-1", service: "ecr", operation: "GetRepositoryPolicy", resource: "payments/web", errorName: "ThrottlingException", kind: "throttled", message: "slow down" },
    ],
  });
});

describe("listCollectionRuns", () => {
  it("pages newest first without duplicates or gaps, both ways", async () => {
    const seen: number[] = [];
    let page = await listCollectionRuns({ limit: 50 });
    expect(page.newerThan).toBeNull();
    const pages = [page];
    while (page.olderThan !== null) {
      page = await listCollectionRuns({ limit: 50, before: page.olderThan });
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.runs.map((r) => r.id));
    expect(seen).toEqual(Array.from({ length: RUNS }, (_, i) => RUNS - i));
    expect(pages.map((p) => p.runs.length)).toEqual([50, 50, 20]);

    // Back from the last page to the first.
    const back = await listCollectionRuns({ limit: 50, after: pages[2].newerThan! });
    expect(back.runs.map((r) => r.id)).toEqual(pages[1].runs.map((r) => r.id));
    const top = await listCollectionRuns({ limit: 50, after: back.newerThan! });
    expect(top.runs.map((r) => r.id)).toEqual(pages[0].runs.map((r) => r.id));
    expect(top.newerThan).toBeNull();
  });
});

describe("listCollectionErrors", () => {
  it("groups a run's errors by account and region", async () => {
    const { total, groups } = await listCollectionErrors(RUNS);
    expect(total).toBe(3);
    expect(groups.map((g) => [g.accountId, g.region, g.errors.map((e) => e.operation)])).toEqual([
      ["111111111111", "eu-west-1", ["AssumeRole"]],
      ["222222222222", "us-east-1", ["GetLifecyclePolicy", "GetRepositoryPolicy"]],
    ]);
  });
});

describe("parseRunId", () => {
  it("accepts only int4 run numbers", () => {
    expect(parseRunId("42")).toBe(42);
    for (const bad of ["", "0", "-1", "1.5", "abc", "1e3", "2147483648", "99999999999", " 1"]) expect(parseRunId(bad)).toBeNull();
  });
});

describe("GET /api/runs/[id]", () => {
  const get = (id: string) => GET(new Request(`http://localhost/api/runs/${id}`), { params: Promise.resolve({ id }) });
  const auditor: SessionUser = { id: "u1", email: "auditor@example.com", name: null, role: "auditor", sessionToken: "t" };

  it("answers 401 without a session", async () => {
    session.user = null;
    const response = await get(String(RUNS));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in to continue" });
  });

  it("answers 400 for an id that is not a run number, 404 for an unknown run", async () => {
    session.user = auditor;
    for (const bad of ["abc", "1.5", "-3", "0", "99999999999"]) {
      const response = await get(bad);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "id must be a run number" });
    }
    const missing = await get("5000");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "There is no run #5000" });
  });

  it("returns the run, its targets and the run readers see, as JSON", async () => {
    session.user = auditor;
    const response = await get(String(RUNS));
    expect(response.status).toBe(200);
    const body = (await response.json()) as RunDetailJson;
    expect(body.run).toMatchObject({ id: RUNS, status: "running", targetsTotal: 3, targetsDone: 1 });
    expect(body.visibleRunId).toBe(RUNS - 1);
    expect(body.targets.map((t) => [t.kind, t.accountId, t.region, t.status])).toEqual([
      ["region", "111111111111", "eu-west-1", "failed"],
      ["region", "222222222222", "us-east-1", "done"],
      ["cost", "999999999999", "global", "pending"],
    ]);
    expect(body.targets[0]).toMatchObject({ attempts: 3, errorName: "AccessDenied", errorOperation: "AssumeRole" });
    expect(body.targets[1]).toMatchObject({ startedAt: "2026-03-01T10:00:00.000Z", finishedAt: "2026-03-01T10:00:05.000Z", calls: 40 });
    expect(body).toEqual(await getRunDetail(RUNS));
  });
});
