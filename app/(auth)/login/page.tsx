import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signInWithOidcAction } from "@/lib/actions/auth";
import { safeCallbackPath } from "@/lib/actions/callback-path";
import { getCurrentUser } from "@/lib/auth/session";
import { env, oidcEnabled } from "@/lib/env";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

// Errors Auth.js sends back here after an OIDC attempt, in words a person can act on.
const OIDC_ERRORS: Record<string, string> = {
  AccessDenied: "Your account is disabled or not allowed to sign in. Ask a Portwatch admin.",
  OAuthAccountNotLinked: "A Portwatch user with this email signs in with a password. Use the password form.",
  Configuration: "Single sign-on is misconfigured on the server. Ask a Portwatch admin.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  if (await getCurrentUser()) redirect(target);
  const oidc = oidcEnabled();
  const providerError = error && error !== "CredentialsSignin" ? (OIDC_ERRORS[error] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <main className="centered">
      <div className="card narrow login">
        <h1>
          <span className="brand-mark" aria-hidden="true">◆</span> Portwatch
        </h1>
        <p className="muted">Sign in to see your ECR posture and cost.</p>
        {providerError ? <p className="form-error" role="status">{providerError}</p> : null}
        <LoginForm callbackUrl={target} />
        {oidc ? (
          <form action={signInWithOidcAction} className="oidc">
            <input type="hidden" name="callbackUrl" value={target} />
            <button type="submit" className="button secondary wide">
              Sign in with {env().AUTH_OIDC_NAME}
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
