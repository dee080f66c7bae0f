"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { clientIp } from "@/lib/auth/client-ip";
import { signIn, signOut } from "@/lib/auth/config";
import { credentialsSchema } from "@/lib/auth/credentials";
import { getCurrentUser } from "@/lib/auth/session";
import { recordAuditEvent } from "@/lib/db/audit";
import { deleteSession } from "@/lib/db/sessions";
import { getSignInLimit } from "@/lib/db/sign-in-failures";
import { env, oidcEnabled } from "@/lib/env";
import { safeCallbackPath } from "./callback-path";

export interface SignInState {
  error?: string;
  email?: string;
}

/**
 * Password sign-in from the login form. Public by nature; it enforces the sign-in rate limit
 * itself and answers the same message for every wrong email/password combination.
 */
export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").slice(0, 320);
  const parsed = credentialsSchema.safeParse({ email, password: formData.get("password") ?? "" });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Enter your email and password", email };

  const limit = await getSignInLimit(parsed.data.email, clientIp(await headers(), env().PORTWATCH_TRUST_PROXY));
  if (limit.limited) {
    return { error: `Too many failed sign-ins. Try again in ${limit.retryAfterSeconds} seconds.`, email };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallbackPath(formData.get("callbackUrl")),
    });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      if ((error as { code?: string }).code === "rate_limited") {
        return { error: "Too many failed sign-ins. Try again in a minute.", email };
      }
      return { error: "Wrong email or password.", email };
    }
    throw error; // Next's redirect after a successful sign-in
  }
}

export async function signInWithOidcAction(formData: FormData): Promise<void> {
  if (!oidcEnabled()) return;
  await signIn("oidc", { redirectTo: safeCallbackPath(formData.get("callbackUrl")) });
}

export async function signOutAction(): Promise<void> {
  const user = await getCurrentUser();
  if (user) {
    await deleteSession(user.sessionToken);
    await recordAuditEvent({ id: user.id, email: user.email }, { action: "auth.sign_out", targetType: "user", targetId: user.id });
  }
  await signOut({ redirectTo: "/login" });
}
