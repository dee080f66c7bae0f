import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ROLES, type Role } from "@/lib/auth/roles";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";
import { databaseFingerprint, type DatabaseFingerprint } from "@/test/db-fingerprint";
import { withTestDatabase } from "@/test/database";
import { routeHandler, routeHandlersInCode } from "@/test/endpoints";
import { INJECTIONS, OVER_ONE_MB } from "./bad-input";

// Every route handler in app/, called in-process as a browser or a script would reach it, as a
// role allowed to call it, with bad path parameters, query strings and bodies. The session is
// mocked; the guard, the handler and the database are real.

const session = vi.hoisted(() => {
  process.env.AUTH_SECRET = "route-fuzz-test-secret-0123456789abcdef";
  process.env.AUTH_URL = "http://localhost:3000";
  return { user: null as SessionUser | null };
});
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));

const db = withTestDatabase();

const ORIGIN = "http://localhost:3000";

interface Case {
  name: string;
  url: string;
  params?: Record<string, string | string[]>;
  init?: RequestInit;
  /** Allowed statuses (default: 400). */
  status?: number[];
  /** What the error must name (the parameter or field). */
  names?: RegExp;
}

interface RouteFuzz {
  role: Role;
  cases: Case[];
  /** Query parameter names the random query strings draw from (GET routes). */
  query?: string[];
  /** Path parameters for the random query strings: well-formed ids of nothing stored. */
  params?: Record<string, string>;
  /** Statuses a random query may legitimately get besides 400 (why, in a comment). */
  alsoFine?: number[];
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}): RequestInit => ({ method: "POST", body, headers: { origin: ORIGIN, ...headers } });
const multipart = (fields: Record<string, Blob | string>): RequestInit => {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return post(form);
};
const file = (content: string | Uint8Array<ArrayBuffer>, name = "evidence.pdf") => new File([content], name, { type: "application/octet-stream" });

const BAD_IDS = ["abc", "../../etc/passwd", "..%2F..%2Fetc", "%00", "id\u0000", "9".repeat(100_000), "-1", "1.5", "0x10", " 1", ...INJECTIONS];
const NO_SUCH_CUID = "c0000000000000000000000000";

const ROUTES: Record<string, RouteFuzz> = {
  "GET /api/accounts/[id]/connection-test": {
    role: "security",
    cases: [
      ...BAD_IDS.map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 20))}`, url: `/api/accounts/x/connection-test`, params: { id }, names: /account id/ })),
      { name: "11 digits", url: "/api/accounts/12345678901/connection-test", params: { id: "12345678901" }, names: /account id/ },
      { name: "13 digits", url: "/api/accounts/1234567890123/connection-test", params: { id: "1234567890123" }, names: /account id/ },
      { name: "Arabic-Indic digits", url: "/api/accounts/x/connection-test", params: { id: "\u0661".repeat(12) }, names: /account id/ },
      // Well-formed but not listed: a 404 naming the account.
      { name: "an unlisted account", url: "/api/accounts/999999999999/connection-test", params: { id: "999999999999" }, status: [404], names: /999999999999/ },
    ],
    params: { id: "999999999999" },
    // The route takes no query: any query string is ignored, and the unlisted account is a 404.
    alsoFine: [404],
  },
  "GET /api/attestations/[id]/file": {
    role: "auditor",
    // A malformed id is answered like an unknown one (404): the id names nothing either way.
    cases: [...BAD_IDS, NO_SUCH_CUID].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 20))}`, url: "/api/attestations/x/file", params: { id }, status: [404], names: /attestation/ })),
    params: { id: NO_SUCH_CUID },
    alsoFine: [404],
  },
  "GET /api/audit-log": {
    role: "admin",
    cases: [
      ...["xml", "CSV", "", OVER_ONE_MB].map((v) => ({ name: `format=${v.slice(0, 10)}`, url: `/api/audit-log?format=${encodeURIComponent(v)}`, names: /format/ })),
      ...["-1", "abc", "1.5", "99999999999999999999", "9999999999999999999", "9223372036854775808", ""].map((v) => ({ name: `before=${v}`, url: `/api/audit-log?before=${v}`, names: /before/ })),
      ...["0", "-1", "501", "1e3", "abc", "", "99999999999"].map((v) => ({ name: `limit=${v}`, url: `/api/audit-log?limit=${v}`, names: /limit/ })),
      { name: "repeated format", url: "/api/audit-log?format=csv&format=json", names: /format/ },
      { name: "unknown parameter", url: "/api/audit-log?from=2026-12-01&to=2026-01-01", names: /from/ },
    ],
    query: ["format", "before", "limit"],
    // A valid query reads the log: 200, and no audit entry (reading the log is not audited).
    alsoFine: [200],
  },
  "GET /api/costs/[table]": {
    role: "finops",
    cases: [
      ...["../../etc/passwd", "%00", "x".repeat(10_000), "MONTHLY", ""].map((table) => ({ name: `table ${table.slice(0, 20)}`, url: "/api/costs/x", params: { table }, status: [404], names: /cost table/ })),
      ...["7", "-1", "0", "99999999999", "abc", "90d", OVER_ONE_MB].map((v) => ({ name: `range=${v.slice(0, 12)}`, url: `/api/costs/monthly?range=${v}`, params: { table: "monthly" }, names: /range/ })),
      { name: "a reversed date range", url: "/api/costs/monthly?from=2026-12-01&to=2026-01-01", params: { table: "monthly" }, names: /from/ },
      { name: "future dates", url: "/api/costs/monthly?from=2999-01-01", params: { table: "monthly" }, names: /from/ },
      { name: "repeated range", url: "/api/costs/monthly?range=30&range=90", params: { table: "monthly" }, names: /range/ },
      { name: "bad account", url: "/api/costs/monthly?account=12345678901", params: { table: "monthly" }, names: /account/ },
      { name: "bad region", url: "/api/costs/monthly?region=mars-north-1", params: { table: "monthly" }, names: /region/ },
    ],
    query: ["range", "account", "region"],
    params: { table: "monthly" },
    // A valid query over no collected cost data is an empty CSV.
    alsoFine: [200],
  },
  "GET /api/costs/repositories": {
    role: "admin",
    cases: [
      ...["12345678901", "abc", "-123456789012"].map((v) => ({ name: `account=${v}`, url: `/api/costs/repositories?account=${v}`, names: /account/ })),
      ...["-1", "1e9", "abc", "1.1234567", "9999999999"].map((v) => ({ name: `min=${v}`, url: `/api/costs/repositories?min=${v}`, names: /min/ })),
      { name: "sort=evil", url: "/api/costs/repositories?sort=evil", names: /sort/ },
      { name: "dir=up", url: "/api/costs/repositories?dir=up", names: /dir/ },
      { name: "a 300-character name", url: `/api/costs/repositories?name=${"a".repeat(300)}`, names: /name/ },
      { name: "repeated account", url: "/api/costs/repositories?account=111111111111&account=222222222222", names: /account/ },
      { name: "an unknown parameter", url: "/api/costs/repositories?from=2026-12-01&to=2026-01-01", names: /from/ },
      { name: "a cursor", url: "/api/costs/repositories?after=x", names: /after/ },
    ],
    query: ["account", "region", "name", "min", "sort", "dir"],
    // A valid query before anything is collected: 404 "Nothing has been collected yet".
    alsoFine: [404],
  },
  "GET /api/costs/savings": {
    role: "security",
    cases: [
      { name: "kind=evil", url: "/api/costs/savings?kind=evil", names: /kind/ },
      { name: "account=abc", url: "/api/costs/savings?account=abc", names: /account/ },
      { name: "repeated kind", url: "/api/costs/savings?kind=untagged&kind=stale", names: /kind/ },
      { name: "an unknown parameter", url: "/api/costs/savings?limit=-1", names: /limit/ },
    ],
    query: ["kind", "account"],
    // A valid query before any saving is computed: 404.
    alsoFine: [404],
  },
  "GET /api/evidence/[id]": {
    role: "auditor",
    cases: [...BAD_IDS, NO_SUCH_CUID].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 20))}`, url: "/api/evidence/x", params: { id }, status: [404], names: /export/ })),
    params: { id: NO_SUCH_CUID },
    alsoFine: [404],
  },
  "GET /api/evidence/[id]/file": {
    role: "admin",
    cases: [
      ...[...BAD_IDS, NO_SUCH_CUID].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 20))}`, url: "/api/evidence/x/file", params: { id }, status: [404], names: /export/ })),
      ...["evil", "", "FILE", "../manifest"].map((part) => ({ name: `part=${part}`, url: `/api/evidence/${NO_SUCH_CUID}/file?part=${encodeURIComponent(part)}`, params: { id: NO_SUCH_CUID }, names: /part/ })),
    ],
    query: ["part"],
    params: { id: NO_SUCH_CUID },
    alsoFine: [404],
  },
  "POST /api/evidence/verify": {
    role: "security",
    cases: [
      { name: "no body", url: "/api/evidence/verify", init: post(null), names: /multipart/ },
      { name: "a JSON body", url: "/api/evidence/verify", init: post(JSON.stringify({ file: "x" }), { "content-type": "application/json" }), names: /multipart/ },
      { name: "over 1 MB of text", url: "/api/evidence/verify", init: post(OVER_ONE_MB, { "content-type": "text/plain" }), names: /multipart/ },
      { name: "a broken multipart body", url: "/api/evidence/verify", init: post("--x\r\nnot a part", { "content-type": "multipart/form-data; boundary=x" }), names: /multipart/ },
      { name: "a lying content-length", url: "/api/evidence/verify", init: post("x", { "content-length": "999999999999" }), status: [413], names: /MB/ },
      { name: "no file field", url: "/api/evidence/verify", init: multipart({ other: "x" }), names: /file/ },
      { name: "file as text", url: "/api/evidence/verify", init: multipart({ file: "not a file" }), names: /file/ },
      { name: "an empty file", url: "/api/evidence/verify", init: multipart({ file: file("") }), names: /file/ },
      { name: "a manifest that is not JSON", url: "/api/evidence/verify", init: multipart({ file: file("x"), manifest: file("{not json", "m.json") }), names: /manifest/ },
      { name: "a manifest that is an array", url: "/api/evidence/verify", init: multipart({ file: file("x"), manifest: file("[1]", "m.json") }), names: /manifest/ },
      { name: "a manifest of 70 KB", url: "/api/evidence/verify", init: multipart({ file: file("x"), manifest: file(`{"a":"${"x".repeat(70_000)}"}`, "m.json") }), names: /manifest/ },
    ],
  },
  "GET /api/health": {
    role: "auditor",
    // Public liveness: it takes no input, so any query string is ignored and the answer is 200.
    cases: [{ name: "a query it does not take", url: `/api/health?x=${encodeURIComponent(INJECTIONS[0])}`, status: [200] }],
    query: ["x"],
    alsoFine: [200],
  },
  "GET /api/runs/[id]": {
    role: "finops",
    cases: [
      ...[...BAD_IDS, "0", "2147483648", "99999999999"].map((id) => ({ name: `id ${JSON.stringify(id.slice(0, 20))}`, url: "/api/runs/x", params: { id }, names: /run number/ })),
      { name: "a run that does not exist", url: "/api/runs/999", params: { id: "999" }, status: [404], names: /#999/ },
    ],
    params: { id: "999" },
    // The route takes no query: it is ignored, and run 999 does not exist.
    alsoFine: [404],
  },
};

// Auth.js's own endpoints: its GET (session, providers, csrf) is its own code and is covered by
// e2e/auth.spec.ts. Its POST is fuzzed below with odd credential bodies.
const AUTH_ROUTE = "/api/auth/[...nextauth]";



async function call(key: string, { url, params = {}, init = {} }: Pick<Case, "url" | "params" | "init">): Promise<Response> {
  const { NextRequest } = await import("next/server");
  const request = new NextRequest(new URL(url, ORIGIN), init as ConstructorParameters<typeof NextRequest>[1]);
  try {
    return await (await routeHandler(key))(request, { params: Promise.resolve(params) });
  } catch (error) {
    throw new Error(`${key} ${url.slice(0, 80)} threw: ${String(error instanceof Error ? `${error.name}: ${error.message}` : error).replace(/\s+/g, " ").slice(0, 300)}`);
  }
}

async function changedTables(before: DatabaseFingerprint, exclude: string[] = []): Promise<string[]> {
  const after = await databaseFingerprint(db.url(), { exclude });
  return Object.keys({ ...before, ...after }).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t])).sort();
}

/** The error a 4xx carries: JSON `{ error }` (or text), which must say what is wrong. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  if ((response.headers.get("content-type") ?? "").includes("json")) return String((JSON.parse(text) as { error?: unknown }).error ?? "");
  return text;
}

const sessionFor: Partial<Record<Role, SessionUser>> = {};

beforeAll(async () => {
  for (const role of ROLES) {
    const u = await createUser({ email: `${role}@example.com`, role, passwordHash: null }, SYSTEM_ACTOR);
    sessionFor[role] = { id: u.id, email: u.email, name: null, role, sessionToken: `token-${role}` };
  }
});

describe("route handlers answer bad input with a 4xx naming it, and change nothing", () => {
  it("has fuzz cases for every route handler in app/", async () => {
    expect(await routeHandlersInCode()).toEqual([...Object.keys(ROUTES), `GET ${AUTH_ROUTE}`, `POST ${AUTH_ROUTE}`].sort());
  });

  for (const [key, route] of Object.entries(ROUTES)) {
    describe(key, () => {
      for (const c of route.cases) {
        it(c.name, async () => {
          session.user = sessionFor[route.role]!;
          const before = await databaseFingerprint(db.url());
          const response = await call(key, c);
          const error = await errorText(response);
          expect(c.status ?? [400], `${c.name}: ${response.status} ${error.slice(0, 200)}`).toContain(response.status);
          if (c.names) expect(error).toMatch(c.names);
          expect(error.length, "the error is short enough to read").toBeLessThan(500);
          expect(await changedTables(before)).toEqual([]);
        });
      }

      if (route.query) {
        it("random query strings: never a 5xx, an error that says something, nothing changed", async () => {
          session.user = sessionFor[route.role]!;
          const names = fc.constantFrom(...route.query!, "from", "to", "limit", "__proto__", "x".repeat(300));
          const values = fc.oneof(fc.constantFrom("", "-1", "0", "2026-12-01", "2999-01-01", "9".repeat(40), "%00", "csv", "json", "monthly", "us-east-1", "111111111111", ...INJECTIONS), fc.string({ maxLength: 30 }));
          await fc.assert(
            fc.asyncProperty(fc.array(fc.tuple(names, values), { minLength: 1, maxLength: 5 }), async (pairs) => {
              const query = new URLSearchParams(pairs).toString();
              const url = `/api/${key.split(" ")[1].split("/").slice(2).map((s) => (s.startsWith("[") ? route.params?.[s.slice(1, -1)] ?? "x" : s)).join("/")}?${query}`;
              const before = await databaseFingerprint(db.url());
              const response = await call(key, { url, params: route.params });
              const error = await errorText(response);
              expect([400, ...(route.alsoFine ?? [])], `?${query.slice(0, 200)} -> ${response.status} ${error.slice(0, 200)}`).toContain(response.status);
              if (response.status >= 400) expect(error.trim(), `?${query.slice(0, 200)}`).not.toBe("");
              expect(await changedTables(before)).toEqual([]);
            }),
            { numRuns: 25, endOnFailure: true },
          );
        });
      }
    });
  }

  it("POST /api/evidence/verify: a well-formed upload that is not an export is a 200 'not verified', audited once", async () => {
    // Legitimately fine input: the answer is the verdict, and each verification is in the audit log.
    session.user = sessionFor.security!;
    for (const manifest of [undefined, file('{"version": "evil", "fileSha256": 7}', "m.json"), file(JSON.stringify({ version: 1, framework: INJECTIONS[0] }), "m.json")]) {
      const before = await databaseFingerprint(db.url(), { exclude: ["AuditLog"] });
      const audits = await getDb().auditLog.count();
      const response = await call("POST /api/evidence/verify", { url: "/api/evidence/verify", init: multipart({ file: file(new Uint8Array(1024 * 1024 + 10).fill(7), "../../etc/passwd"), ...(manifest ? { manifest } : {}) }) });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: false });
      expect(await changedTables(before, ["AuditLog"])).toEqual([]);
      expect(await getDb().auditLog.count()).toBe(audits + 1);
      expect(await getDb().auditLog.findFirst({ orderBy: { id: "desc" }, select: { action: true } })).toEqual({ action: "evidence.verify" });
    }
  });

  it(`POST ${AUTH_ROUTE}: odd credential bodies are refused without a 5xx, signing nobody in`, async () => {
    session.user = null;
    const callback = { url: "/api/auth/callback/credentials", params: { nextauth: ["callback", "credentials"] } };
    const form = (fields: Record<string, string>) => post(new URLSearchParams({ csrfToken: "x", ...fields }), { "content-type": "application/x-www-form-urlencoded" });
    const bodies: [string, RequestInit][] = [
      ["over 1 MB of form", form({ email: "a@example.com", password: OVER_ONE_MB })],
      ["a 1 MB email", form({ email: `${OVER_ONE_MB}@example.com`, password: "x" })],
      ["NUL in the email", form({ email: "admin@example.com\u0000", password: "x" })],
      ["an injection as email", form({ email: INJECTIONS[0], password: INJECTIONS[0] })],
      ["no fields", form({})],
      ["JSON instead of a form", post(JSON.stringify({ email: "admin@example.com", password: "x" }), { "content-type": "application/json" })],
      ["a broken multipart body", post("--x\r\nnope", { "content-type": "multipart/form-data; boundary=x" })],
      ["no body", post(null)],
    ];
    for (const [name, init] of bodies) {
      // A failed attempt is counted for the rate limit and audited: those are the only changes.
      const before = await databaseFingerprint(db.url(), { exclude: ["SignInFailure", "AuditLog"] });
      const sessions = await getDb().session.count();
      const response = await call(`POST ${AUTH_ROUTE}`, { ...callback, init });
      expect(response.status, name).toBeLessThan(500);
      expect(response.status, name).not.toBe(200);
      // Auth.js answers a failed sign-in with a redirect to the error page.
      if (response.status >= 300 && response.status < 400) expect(response.headers.get("location"), name).toMatch(/error=|\/login/);
      expect(await getDb().session.count(), name).toBe(sessions);
      expect(await changedTables(before, ["SignInFailure", "AuditLog"]), name).toEqual([]);
    }
  });
});
