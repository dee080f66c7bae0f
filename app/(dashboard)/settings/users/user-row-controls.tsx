"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import { resetUserPasswordAction, setUserDisabledAction, updateUserRoleAction } from "@/lib/actions/users";
import { type Role, ROLES } from "@/lib/auth/roles";

interface Props {
  user: { id: string; email: string; role: Role; disabled: boolean };
  self: boolean;
}

export function UserRowControls({ user, self }: Props) {
  const [selectedRole, setSelectedRole] = useState<Role>(user.role);
  // A refused change (the last admin, say) puts the select back to the role the user still has.
  const role = useAction(updateUserRoleAction, { onError: () => setSelectedRole(user.role) });
  const disable = useAction(setUserDisabledAction);
  const reset = useAction(resetUserPasswordAction);
  const busy = role.isPending || disable.isPending || reset.isPending;
  const error = actionErrorMessage(role.result) ?? actionErrorMessage(disable.result) ?? actionErrorMessage(reset.result);
  return (
    <div className="row-controls">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.email}
      </label>
      <select
        id={`role-${user.id}`}
        value={selectedRole}
        disabled={busy}
        onChange={(event) => {
          const next = event.target.value as Role;
          setSelectedRole(next);
          role.execute({ userId: user.id, role: next });
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {self ? null : (
        <button
          type="button"
          className="button secondary"
          disabled={busy}
          onClick={() => disable.execute({ userId: user.id, disabled: !user.disabled })}
        >
          {user.disabled ? "Enable" : "Disable"}
        </button>
      )}
      <button
        type="button"
        className="button secondary"
        disabled={busy}
        onClick={() => {
          if (window.confirm(`Reset the password of ${user.email}? Their sessions end.`)) reset.execute({ userId: user.id });
        }}
      >
        Reset password
      </button>
      {reset.result.data?.generatedPassword ? (
        <span className="form-ok" role="status">
          New password, shown only now: <code>{reset.result.data.generatedPassword}</code>
        </span>
      ) : null}
      {error ? <span className="form-error" role="status">{error}</span> : null}
    </div>
  );
}
