import "server-only";
import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/roles";
import { getDb } from "./client";

/**
 * Server-side sessions. The signed cookie only names a session; the row decides whether it is
 * still valid, so signing out, disabling a user or resetting a password takes effect on the next
 * request rather than when a token expires.
 */

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  sessionToken: string;
}

// lastSeenAt is written at most this often, not on every request.
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export async function createSession(
  userId: string,
  maxAgeSeconds: number,
  client: { ip?: string; userAgent?: string } = {},
): Promise<string> {
  const sessionToken = randomBytes(32).toString("base64url");
  await getDb().session.create({
    data: {
      sessionToken,
      userId,
      expires: new Date(Date.now() + maxAgeSeconds * 1000),
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    },
  });
  return sessionToken;
}

export async function getSessionUser(sessionToken: string): Promise<SessionUser | null> {
  const session = await getDb().session.findUnique({
    where: { sessionToken },
    select: {
      expires: true,
      lastSeenAt: true,
      user: { select: { id: true, email: true, name: true, role: true, disabled: true } },
    },
  });
  if (!session || session.expires.getTime() <= Date.now() || session.user.disabled) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await getDb().session.update({ where: { sessionToken }, data: { lastSeenAt: new Date() } });
  }
  const { disabled: _disabled, ...user } = session.user;
  return { ...user, sessionToken };
}

export async function deleteSession(sessionToken: string): Promise<void> {
  await getDb().session.deleteMany({ where: { sessionToken } });
}

export async function deleteExpiredSessions(): Promise<number> {
  const { count } = await getDb().session.deleteMany({ where: { expires: { lt: new Date() } } });
  return count;
}
