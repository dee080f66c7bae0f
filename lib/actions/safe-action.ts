import "server-only";
import { createSafeActionClient } from "next-safe-action";
import { requireRole } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import type { Actor } from "@/lib/db/audit";
import { type AppErrorCode, isAppError } from "@/lib/errors";

export interface ActionServerError {
  code: AppErrorCode | "internal";
  message: string;
}

/** Turns every failure into a message a user can act on; anything unexpected stays in the server log. */
export const actionClient = createSafeActionClient({
  defaultValidationErrorsShape: "flattened",
  handleServerError(error): ActionServerError {
    if (isAppError(error)) return { code: error.code, message: error.message };
    console.error("[action] unexpected error:", error instanceof Error ? error.message : error);
    return { code: "internal", message: "Something went wrong on the server; the server log has the details" };
  },
});

/** The authenticated action client: the role is checked inside the action, on every call. */
export function roleAction(roles: readonly Role[]) {
  return actionClient.use(async ({ next }) => {
    const user = await requireRole(roles);
    const actor: Actor = { id: user.id, email: user.email };
    return next({ ctx: { user, actor } });
  });
}
