"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import { changeOwnPasswordAction } from "@/lib/actions/users";

export function ChangePasswordForm() {
  const form = useRef<HTMLFormElement>(null);
  const { execute, result, isPending, hasSucceeded } = useAction(changeOwnPasswordAction, {
    onSuccess: () => form.current?.reset(),
  });
  const error = actionErrorMessage(result, { currentPassword: "Current password", newPassword: "New password" });
  return (
    <form
      ref={form}
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        execute({ currentPassword: String(data.get("currentPassword")), newPassword: String(data.get("newPassword")) });
      }}
    >
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password (at least 12 characters)
        <input name="newPassword" type="password" autoComplete="new-password" minLength={12} required />
      </label>
      <button type="submit" className="button" disabled={isPending}>
        Change password
      </button>
      {error ? <p className="form-error" role="status">{error}</p> : null}
      {hasSucceeded ? <p className="form-ok" role="status">Password changed; your other sessions were signed out.</p> : null}
    </form>
  );
}
