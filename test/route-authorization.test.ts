import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { withTestDatabase } from "@/test/database";
import { routeHandler, routeHandlersInCode } from "@/test/endpoints";
import { sessionUser } from "@/test/session";

// Every route handler in app/, called as a browser would reach it: anonymously and as each role.
// The session is what a signed-in browser would carry; the guard, the handler and the database
// are real. A new route.ts, or a new method in one, without a row here fails the first test.

const session = vi.hoisted(() => {
  // What `portwatch serve` gives the app: a signing secret for Auth.js and its public URL.
  process.env.AUTH_SECRET = "route-authorization-test-secret-0123456789";
  process.env.AUTH_URL = "http://localhost:3000";
  return { user: null as SessionUser | null };
});
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));

withTestDatabase();

const ORIGIN = "http://localhost:3000";

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", "admin", "security", "finops", "auditor"];

interface Entry {
  /** Roles allowed; "public" routes answer everyone the same. */
  allowed: readonly Role[] | "public";
  /** The request an allowed caller makes, and the status it gets. */
  request: () => { url: string; params: Record<string, string | string[]>; init?: RequestInit };
  status: number;
}

const fixtures = { runId: 0, attestationId: "", exportId: "", accountId: "210987654321" };

function verifyUpload(): RequestInit {
  const form = new FormData();
  form.set("file", new File([Buffer.from("not an export of ours")], "evidence.pdf", { type: "application/pdf" }));
  return { method: "POST", body: form, headers: { origin: ORIGIN } };
}

/** "<METHOD> <route path>" for every exported handler, and who may call it. */
const MATRIX: Record<string, Entry> = {
  "GET /api/accounts/[id]/connection-test": {
    allowed: ["admin", "security"],
    request: () => ({ url: `/api/accounts/${fixtures.accountId}/connection-test`, params: { id: fixtures.accountId } }),
    status: 200,
  },
  "GET /api/attestations/[id]/file": {
    allowed: ["admin", "security", "auditor"],
    request: () => ({ url: `/api/attestations/${fixtures.attestationId}/file`, params: { id: fixtures.attestationId } }),
    status: 200,
  },
  "GET /api/audit-log": { allowed: ["admin", "security", "auditor"], request: () => ({ url: "/api/audit-log", params: {} }), status: 200 },
  "GET /api/costs/[table]": { allowed: ["admin", "security", "finops"], request: () => ({ url: "/api/costs/monthly", params: { table: "monthly" } }), status: 200 },
  "GET /api/costs/repositories": { allowed: ["admin", "security", "finops"], request: () => ({ url: "/api/costs/repositories", params: {} }), status: 200 },
  // No evaluation has run here, so an allowed caller is told no savings were computed.
  "GET /api/costs/savings": { allowed: ["admin", "security", "finops"], request: () => ({ url: "/api/costs/savings", params: {} }), status: 404 },
  "GET /api/evidence/[id]": {
    allowed: ["admin", "security", "auditor"],
    request: () => ({ url: `/api/evidence/${fixtures.exportId}`, params: { id: fixtures.exportId } }),
    status: 200,
  },
  "GET /api/evidence/[id]/file": {
    allowed: ["admin", "security", "auditor"],
    request: () => ({ url: `/api/evidence/${fixtures.exportId}/file`, params: { id: fixtures.exportId } }),
    status: 200,
  },
  "POST /api/evidence/verify": { allowed: ["admin", "security", "auditor"], request: () => ({ url: "/api/evidence/verify", params: {}, init: verifyUpload() }), status: 200 },
  "GET /api/health": { allowed: "public", request: () => ({ url: "/api/health", params: {} }), status: 200 },
  "GET /api/runs/[id]": {
    allowed: ["admin", "security", "finops", "auditor"],
    request: () => ({ url: `/api/runs/${fixtures.runId}`, params: { id: String(fixtures.runId) } }),
    status: 200,
  },
  // Auth.js's own endpoints: the session endpoint says who is signed in (nobody, here).
  "GET /api/auth/[...nextauth]": { allowed: "public", request: () => ({ url: "/api/auth/session", params: { nextauth: ["session"] } }), status: 200 },
  // A sign-in attempt with a wrong password: Auth.js answers with a redirect to the login page.
  "POST /api/auth/[...nextauth]": {
    allowed: "public",
    request: () => {
      const body = new URLSearchParams({ email: "nobody@example.com", password: "not a password of anyone's", csrfToken: "x" });
      return { url: "/api/auth/callback/credentials", params: { nextauth: ["callback", "credentials"] }, init: { method: "POST", body, headers: { origin: ORIGIN } } };
    },
    status: 302,
  },
};



async function call(key: string, overrides: { origin?: string | null } = {}): Promise<Response> {
  const { url, params, init = {} } = MATRIX[key].request();
  const headers = new Headers(init.headers);
  if (overrides.origin === null) headers.delete("origin");
  else if (overrides.origin) headers.set("origin", overrides.origin);
  const { NextRequest } = await import("next/server");
  const request = new NextRequest(new URL(url, ORIGIN), { ...init, headers } as ConstructorParameters<typeof NextRequest>[1]);
  return (await routeHandler(key))(request, { params: Promise.resolve(params) });
}

beforeAll(async () => {
  const db = getDb();
  fixtures.runId = (await db.collectionRun.create({ data: { trigger: "manual", requestedBy: "matrix", status: "complete" } })).id;
  await db.awsAccount.create({
    data: { id: fixtures.accountId, name: "matrix", roleArn: `arn:aws:iam::${fixtures.accountId}:role/R`, regions: [], source: "ui", lastTest: { status: "ok", at: new Date().toISOString(), steps: [] } },
  });
  const { createAttestation } = await import("@/lib/db/attestations");
  fixtures.attestationId = (
    await createAttestation(
      { framework: "csa-ccm-v5", control: "IAM-01", text: "Quarterly review", expiresAt: new Date(Date.now() + 86_400_000), file: { name: "review.pdf", type: "application/pdf", data: Buffer.from("%PDF-1.7") } },
      SYSTEM_ACTOR,
    )
  ).id;
  fixtures.exportId = (
    await db.evidenceExport.create({
      data: {
        status: "done",
        progress: 100,
        framework: "aws-fsbp",
        scope: { accountIds: [], regions: [], runId: null },
        format: "csv",
        fileName: "evidence.csv",
        fileData: Buffer.from("framework,control\n"),
        fileSha256: "0".repeat(64),
        fileBytes: 18,
        manifest: { version: 1 },
        manifestSha256: "1".repeat(64),
        sequence: 1,
        createdBy: "matrix@example.com",
      },
    })
  ).id;
});

describe("every route handler checks the session and the role itself", () => {
  it("the matrix lists every route handler in app/", async () => {
    expect(await routeHandlersInCode()).toEqual(Object.keys(MATRIX).sort());
  });

  for (const [key, entry] of Object.entries(MATRIX)) {
    describe(key, () => {
      for (const caller of CALLERS) {
        const expected = entry.allowed === "public" || entry.allowed.includes(caller as Role) ? entry.status : caller === "anonymous" ? 401 : 403;
        it(`${caller}: ${expected}`, async () => {
          session.user = caller === "anonymous" ? null : sessionUser(caller);
          const auditBefore = await getDb().auditLog.count();
          const response = await call(key);
          expect(response.status).toBe(expected);
          if (expected === 401 || expected === 403) {
            const body = (await response.json()) as { error: string };
            expect(body.error).toMatch(expected === 401 ? /Sign in/ : new RegExp(`Your role \\(${caller}\\) cannot do this`));
            // A refused caller leaves no trace but the refusal: nothing read into the audit log.
            expect(await getDb().auditLog.count()).toBe(auditBefore);
          }
        });
      }
    });
  }
});

describe("route handlers that change something refuse requests from other sites", () => {
  const mutating = Object.keys(MATRIX).filter((key) => !key.startsWith("GET "));

  it("there are mutating handlers to check", () => {
    expect(mutating.sort()).toEqual(["POST /api/auth/[...nextauth]", "POST /api/evidence/verify"]);
  });

  for (const key of mutating) {
    it(`${key}: 403 with no Origin or a foreign one, even for an admin; nothing written`, async () => {
      session.user = sessionUser("admin");
      for (const origin of [null, "https://evil.example", "null", "http://localhost:3001"]) {
        const auditBefore = await getDb().auditLog.count();
        const response = await call(key, { origin });
        expect(response.status, `Origin ${origin}`).toBe(403);
        expect(((await response.json()) as { error: string }).error).toMatch(origin === null || origin === "null" ? /no Origin header/ : /another site/);
        expect(await getDb().auditLog.count()).toBe(auditBefore);
      }
      // The same request from Portwatch's own page goes through.
      expect((await call(key)).status).toBe(MATRIX[key].status);
    });
  }

  it("GET handlers need no Origin: a link or a bookmark works", async () => {
    session.user = sessionUser("auditor");
    expect((await call("GET /api/audit-log", { origin: null })).status).toBe(200);
  });
});
