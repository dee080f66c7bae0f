/**
 * Cross-site request refusal for route handlers that change something. A browser always sends
 * Origin with a POST; a page on another site can make a victim's browser post to Portwatch with
 * the victim's cookie, and Origin is the one header that page cannot choose. Server actions get
 * the same check from Next.js itself (it compares Origin with Host).
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origins a same-site request may carry: the address the request came to, and the public URL. */
function expectedOrigins(request: Request, publicUrl: string | undefined): Set<string> {
  const origins = new Set<string>();
  try {
    origins.add(new URL(request.url).origin);
  } catch {
    // A request without a parseable URL has no origin of its own to match.
  }
  if (publicUrl) {
    try {
      origins.add(new URL(publicUrl).origin);
    } catch {
      // lib/env.ts has already refused a malformed AUTH_URL at start-up.
    }
  }
  return origins;
}

/**
 * Why a request must be refused as cross-site, or null when it may go on. Safe methods pass:
 * they change nothing (every GET route handler only reads).
 */
export function crossSiteRefusal(request: Request, publicUrl: string | undefined): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") {
    return "This request has no Origin header: send it from Portwatch's own pages, or set Origin to Portwatch's address";
  }
  if (!expectedOrigins(request, publicUrl).has(origin)) {
    return `This request comes from another site (Origin ${origin.slice(0, 200)}), so it is refused`;
  }
  return null;
}
