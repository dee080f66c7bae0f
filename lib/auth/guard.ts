import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { crossSiteRefusal } from "./origin";
import type { Role } from "./roles";
import { getCurrentUser, type SessionUser } from "./session";

/**
 * The one authorisation check. Every server action, route handler and page calls it itself
 * (middleware is not an auth layer: STYLE.md).
 */
export async function requireRole(roles: readonly Role[]): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue");
  if (!roles.includes(user.role)) {
    throw new AppError("forbidden", `Your role (${user.role}) cannot do this; it needs ${roles.join(" or ")}`);
  }
  return user;
}

/** For pages: an anonymous visitor goes to the sign-in page, a signed-in one without the role gets 403. */
export async function requirePageRole(roles: readonly Role[]): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) {
    const back = (await headers()).get("x-portwatch-path");
    redirect(back ? `/login?callbackUrl=${encodeURIComponent(back)}` : "/login");
  }
  if (!roles.includes(user.role)) forbidden();
  return user;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * For route handlers: 401 or 403 as JSON before the handler runs. A request that changes
 * something (any method but GET, HEAD, OPTIONS) must also come from Portwatch's own origin.
 */
export function withRole<C extends RouteContext>(
  roles: readonly Role[],
  handler: (request: Request, context: C & { user: SessionUser }) => Promise<Response>,
) {
  return async (request: Request, context: C): Promise<Response> => {
    const crossSite = crossSiteRefusal(request, env().AUTH_URL);
    if (crossSite) return Response.json({ error: crossSite }, { status: 403 });
    let user: SessionUser;
    try {
      user = await requireRole(roles);
    } catch (error) {
      if (error instanceof AppError) {
        return Response.json({ error: error.message }, { status: error.status });
      }
      throw error;
    }
    return handler(request, { ...context, user });
  };
}
