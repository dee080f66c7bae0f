import type { NextRequest } from "next/server";
import { clientIp } from "@/lib/auth/client-ip";
import { handlers } from "@/lib/auth/config";
import { credentialsSchema } from "@/lib/auth/credentials";
import { crossSiteRefusal } from "@/lib/auth/origin";
import { getSignInLimit } from "@/lib/db/sign-in-failures";
import { env } from "@/lib/env";

export const { GET } = handlers;

/**
 * Auth.js's own endpoints. A POST from another site is refused before Auth.js sees it (Auth.js's
 * CSRF token covers its forms; this covers the rest). A password sign-in posted here directly (not
 * through the login form) meets the same rate limit, answered as HTTP 429 with Retry-After.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const crossSite = crossSiteRefusal(request, env().AUTH_URL);
  if (crossSite) return Response.json({ error: crossSite }, { status: 403 });
  if (request.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await request.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "").toLowerCase().slice(0, 320);
    // Only an address the sign-in itself would accept is looked up: anything else (a NUL byte,
    // which PostgreSQL cannot compare) is refused by Auth.js's authorize without a query.
    if (email && credentialsSchema.shape.email.safeParse(email).success) {
      const limit = await getSignInLimit(email, clientIp(request.headers, env().PORTWATCH_TRUST_PROXY));
      if (limit.limited) {
        return Response.json(
          { error: `Too many failed sign-ins. Try again in ${limit.retryAfterSeconds} seconds.` },
          { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
        );
      }
    }
  }
  return handlers.POST(request);
}
