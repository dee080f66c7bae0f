import { type NextRequest, NextResponse } from "next/server";
import { crossSiteRefusal } from "@/lib/auth/origin";
import { env } from "@/lib/env";

/**
 * Sets a Content-Security-Policy with a fresh nonce on every page (Next applies the nonce to its
 * own scripts). Not an auth layer: every page, action and route checks the session itself.
 *
 * A server action posted from another site, or with no Origin at all, is refused here with a 403:
 * Next.js itself lets a missing Origin through with a warning and answers a foreign one with a 500.
 */
export function proxy(request: NextRequest) {
  if (request.method === "POST" && request.headers.has("next-action")) {
    const crossSite = crossSiteRefusal(request, env().AUTH_URL);
    if (crossSite) return NextResponse.json({ error: crossSite }, { status: 403 });
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const https = request.nextUrl.protocol === "https:";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and chart libraries set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // Lets a page's guard send an anonymous visitor back here after sign-in.
  requestHeaders.set("x-portwatch-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
