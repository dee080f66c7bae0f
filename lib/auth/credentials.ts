import "server-only";
import { z } from "zod";
import { recordAuditEvent } from "@/lib/db/audit";
import { clearSignInFailures, getSignInLimit, recordSignInFailure } from "@/lib/db/sign-in-failures";
import { getCredentialsByEmail, recordSignIn } from "@/lib/db/users";
import { decoyPasswordHash, PASSWORD_MAX, verifyPassword } from "./password";
import type { Role } from "./roles";

export const credentialsSchema = z.object({
  email: z.email("Enter an email address").max(320, "Email is too long").transform((v) => v.toLowerCase()),
  password: z.string().min(1, "Enter your password").max(PASSWORD_MAX, "Password is too long"),
});

export type CredentialsResult =
  | { kind: "ok"; user: { id: string; email: string; name: string | null; role: Role } }
  | { kind: "invalid" }
  | { kind: "rate_limited"; retryAfterSeconds: number };

/**
 * Decides a password sign-in: rate limit first, then the password, the same answer for an
 * unknown email, a disabled user and a wrong password (nothing tells an attacker which).
 */
export async function checkCredentials(email: string, password: string, ip: string): Promise<CredentialsResult> {
  const limit = await getSignInLimit(email, ip);
  if (limit.limited) return { kind: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };

  const user = await getCredentialsByEmail(email);
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !user.passwordHash || !ok || user.disabled) {
    await recordSignInFailure(email, ip);
    return { kind: "invalid" };
  }
  await clearSignInFailures(email, ip);
  await recordSignIn(user.id);
  await recordAuditEvent({ id: user.id, email: user.email }, {
    action: "auth.sign_in",
    targetType: "user",
    targetId: user.id,
    details: { method: "password", ip },
  });
  return { kind: "ok", user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
