import type { Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";

/** A signed-in user of `role`, as the session reader returns one (for route and action tests that mock it). */
export function sessionUser(role: Role): SessionUser {
  return { id: `user-${role}`, email: `${role}@example.com`, name: null, role, sessionToken: `token-${role}` };
}
