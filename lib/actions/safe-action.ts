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

export interface ActionValidationErrors {
  formErrors: string[];
  /** Field path -> messages; a nested field is named by its dotted path ("thresholds.maxImageGiB", "file.base64"). */
  fieldErrors: Record<string, string[] | undefined>;
}

type ErrorNode = { _errors?: string[] } & { [key: string]: unknown };

/**
 * next-safe-action's "flattened" shape keeps one level and drops the messages of nested fields;
 * this keeps every message, named by its path, so a nested mistake is still named. For actions
 * whose input nests: `.inputSchema(schema, { handleValidationErrorsShape: async (e) => dottedValidationErrors(e) })`.
 */
export function dottedValidationErrors(errors: unknown): ActionValidationErrors {
  const out: ActionValidationErrors = { formErrors: [], fieldErrors: {} };
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}.${i}`));
      return;
    }
    const { _errors, ...children } = node as ErrorNode;
    if (_errors?.length) {
      if (path) out.fieldErrors[path] = [...(out.fieldErrors[path] ?? []), ..._errors];
      else out.formErrors.push(..._errors);
    }
    for (const [key, child] of Object.entries(children)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(errors, "");
  return out;
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
