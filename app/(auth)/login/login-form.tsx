"use client";

import { useActionState } from "react";
import { signInAction, type SignInState } from "@/lib/actions/auth";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  return (
    <form action={action} className="form">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required defaultValue={state.email} maxLength={320} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
      </label>
      <button type="submit" className="button wide" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {state.error ? (
        <p className="form-error" role="status" data-testid="sign-in-error">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
