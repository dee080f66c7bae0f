"use client";

import { useAction } from "next-safe-action/hooks";
import { useRef } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import { createUserAction } from "@/lib/actions/users";
import { ROLES } from "@/lib/auth/roles";

export function AddUserForm() {
  const form = useRef<HTMLFormElement>(null);
  const { execute, result, isPending } = useAction(createUserAction, { onSuccess: () => form.current?.reset() });
  const error = actionErrorMessage(result, { email: "Email", name: "Name", role: "Role", password: "Password" });
  return (
    <form
      ref={form}
      className="form inline"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        execute({
          email: String(data.get("email")),
          name: String(data.get("name") ?? ""),
          role: String(data.get("role")) as (typeof ROLES)[number],
          password: String(data.get("password") ?? ""),
        });
      }}
    >
      <label>
        Email
        <input name="email" type="email" required maxLength={320} />
      </label>
      <label>
        Name
        <input name="name" maxLength={120} />
      </label>
      <label>
        Role
        <select name="role" defaultValue="auditor">
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
      <label>
        Password (blank: generate one)
        <input name="password" type="password" autoComplete="new-password" />
      </label>
      <button type="submit" className="button" disabled={isPending}>
        Add user
      </button>
      {error ? <p className="form-error" role="status">{error}</p> : null}
      {result.data ? (
        <p className="form-ok" role="status">
          Added {result.data.email}.
          {result.data.generatedPassword ? (
            <>
              {" "}Their password, shown only now: <code data-testid="generated-password">{result.data.generatedPassword}</code>
            </>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
