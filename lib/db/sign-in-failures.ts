import "server-only";
import { getDb } from "./client";

/**
 * Failed sign-ins, counted in PostgreSQL so the limit holds across every web process.
 * Limits: 5 failures a minute for one email from one address, 30 a minute from one address.
 */
export const SIGN_IN_WINDOW_MS = 60_000;
export const MAX_FAILURES_PER_EMAIL_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;

const pairKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;

export interface SignInLimit {
  limited: boolean;
  retryAfterSeconds: number;
}

export async function getSignInLimit(email: string, ip: string, now = new Date()): Promise<SignInLimit> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const db = getDb();
  const [pair, address] = await Promise.all([
    db.signInFailure.findMany({
      where: { key: pairKey(email, ip), at: { gt: since } },
      orderBy: { at: "asc" },
      select: { at: true },
    }),
    db.signInFailure.count({ where: { ip, at: { gt: since } } }),
  ]);
  const blockedByPair = pair.length >= MAX_FAILURES_PER_EMAIL_AND_IP;
  if (!blockedByPair && address < MAX_FAILURES_PER_IP) return { limited: false, retryAfterSeconds: 0 };
  // The window frees up when the oldest counted failure leaves it.
  const oldest = blockedByPair ? pair[pair.length - MAX_FAILURES_PER_EMAIL_AND_IP].at : since;
  const retryAfterMs = blockedByPair ? oldest.getTime() + SIGN_IN_WINDOW_MS - now.getTime() : SIGN_IN_WINDOW_MS;
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

export async function recordSignInFailure(email: string, ip: string): Promise<void> {
  const db = getDb();
  await db.signInFailure.create({ data: { key: pairKey(email, ip), email: email.toLowerCase().slice(0, 320), ip } });
  // Keep the table small: nothing older than a day matters to the limit.
  if (Math.random() < 0.05) {
    await db.signInFailure.deleteMany({ where: { at: { lt: new Date(Date.now() - 86_400_000) } } });
  }
}

export async function clearSignInFailures(email: string, ip: string): Promise<void> {
  await getDb().signInFailure.deleteMany({ where: { key: pairKey(email, ip) } });
}
