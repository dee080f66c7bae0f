import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { getSessionUser } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";
import { withTestDatabase } from "@/test/database";

// Signing in through Auth.js's own route handlers, in-process, as an installation served over
// HTTPS at its public URL: the cookie's flags, how long a session lasts, and the rate limit.

const PUBLIC_URL = "https://portwatch.example.com";
const SESSION_HOURS = 8;

vi.hoisted(() => {
  process.env.AUTH_SECRET = "auth-session-test-secret-0123456789abcdef";
  process.env.AUTH_URL = "https://portwatch.example.com";
  process.env.PORTWATCH_SESSION_HOURS = "8";
});

const { GET, POST } = await import("@/app/api/auth/[...nextauth]/route");
const { NextRequest } = await import("next/server");

withTestDatabase();

const EMAIL = "lead@example.com";
const PASSWORD = "a long enough password";

beforeAll(async () => {
  await createUser({ email: EMAIL, role: "security", passwordHash: await hashPassword(PASSWORD) }, SYSTEM_ACTOR);
});

afterEach(() => {
  vi.useRealTimers();
});

/** Set-Cookie lines as name -> the whole line. */
function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf("=")), line]));
}

const cookieHeader = (cookies: Map<string, string>) => [...cookies.values()].map((line) => line.split(";")[0]).join("; ");

async function signIn(email: string, password: string, ip = "203.0.113.7") {
  const csrf = await GET(new NextRequest(`${PUBLIC_URL}/api/auth/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const request = new NextRequest(`${PUBLIC_URL}/api/auth/callback/credentials`, {
    method: "POST",
    body: new URLSearchParams({ csrfToken, email, password }),
    headers: { origin: PUBLIC_URL, cookie: cookieHeader(setCookies(csrf)), "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
  });
  return POST(request);
}

async function sessionOf(cookies: Map<string, string>): Promise<{ user?: { email?: string }; sid?: string } | null> {
  const response = await GET(new NextRequest(`${PUBLIC_URL}/api/auth/session`, { headers: { cookie: cookieHeader(cookies) } }));
  return (await response.json()) as { user?: { email?: string }; sid?: string } | null;
}

describe("the session cookie over HTTPS", () => {
  it("is __Secure-, HttpOnly, Secure, SameSite=Lax, for the whole site, and lasts PORTWATCH_SESSION_HOURS", async () => {
    const before = Date.now();
    const response = await signIn(EMAIL, PASSWORD);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).not.toContain("error");
    const line = setCookies(response).get("__Secure-authjs.session-token");
    expect(line, "the session cookie carries the __Secure- prefix").toBeDefined();
    const attributes = line!.split(";").map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "secure", "samesite=lax", "path=/"]));
    const expires = Date.parse(attributes.find((a) => a.startsWith("expires="))!.slice("expires=".length));
    expect(Math.abs(expires - (before + SESSION_HOURS * 3_600_000))).toBeLessThan(60_000);

    // The server-side session row ends at the same moment.
    const sid = (await sessionOf(setCookies(response)))!.sid!;
    const row = await getDb().session.findUniqueOrThrow({ where: { sessionToken: sid } });
    expect(Math.abs(row.expires.getTime() - expires)).toBeLessThan(60_000);
  });

  it("is not set for a wrong password, and the CSRF cookie is HttpOnly and Secure too", async () => {
    const response = await signIn(EMAIL, "not the right password");
    expect(response.headers.get("location")).toContain("error=CredentialsSignin");
    expect(setCookies(response).has("__Secure-authjs.session-token")).toBe(false);
    const csrf = setCookies(await GET(new NextRequest(`${PUBLIC_URL}/api/auth/csrf`))).get("__Host-authjs.csrf-token");
    expect(csrf?.toLowerCase()).toMatch(/httponly/);
    expect(csrf?.toLowerCase()).toMatch(/secure/);
  });
});

describe("a session expires", () => {
  it("after PORTWATCH_SESSION_HOURS: the signed cookie is no longer accepted", async () => {
    const cookies = setCookies(await signIn(EMAIL, PASSWORD));
    expect((await sessionOf(cookies))?.user?.email).toBe(EMAIL);
    vi.useFakeTimers({ now: Date.now() + (SESSION_HOURS * 3600 + 60) * 1000, toFake: ["Date"] });
    expect((await sessionOf(cookies))?.user).toBeUndefined();
  });

  it("when its row has expired, even with a cookie still inside its lifetime", async () => {
    const cookies = setCookies(await signIn(EMAIL, PASSWORD));
    const sid = (await sessionOf(cookies))!.sid!;
    expect((await getSessionUser(sid))?.email).toBe(EMAIL);
    await getDb().session.update({ where: { sessionToken: sid }, data: { expires: new Date(Date.now() - 1000) } });
    expect(await getSessionUser(sid)).toBeNull();
  });

  it("when the user is disabled or the session is deleted by signing out", async () => {
    const sid = (await sessionOf(setCookies(await signIn(EMAIL, PASSWORD))))!.sid!;
    const user = await getDb().user.update({ where: { email: EMAIL }, data: { disabled: true } });
    expect(await getSessionUser(sid)).toBeNull();
    await getDb().user.update({ where: { id: user.id }, data: { disabled: false } });
    expect((await getSessionUser(sid))?.email).toBe(EMAIL);
    await getDb().session.delete({ where: { sessionToken: sid } });
    expect(await getSessionUser(sid)).toBeNull();
  });
});

describe("sign-in rate limiting", () => {
  it("answers 429 with Retry-After after 5 failures for one email from one address, even for the right password", async () => {
    const email = "target@example.com";
    await createUser({ email, role: "auditor", passwordHash: await hashPassword(PASSWORD) }, SYSTEM_ACTOR);
    for (let i = 0; i < 5; i++) expect((await signIn(email, `wrong guess ${i}`, "198.51.100.9")).headers.get("location")).toContain("error");
    const refused = await signIn(email, PASSWORD, "198.51.100.9");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/Too many failed sign-ins/);
    expect(setCookies(refused).size).toBe(0);
  });
});
