/**
 * The address a request came from, for sign-in rate limits. Portwatch's web server
 * (cli/web-server.mjs) replaces X-Forwarded-For with the socket's address, so a client cannot
 * choose it; behind a proxy the operator runs (PORTWATCH_TRUST_PROXY) it keeps the proxy's list
 * and the first entry is the client's.
 */
export function clientIp(headers: Headers, trustProxy: boolean): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const ip = trustProxy ? forwarded[0] : forwarded[forwarded.length - 1];
  return (ip ?? "unknown").slice(0, 64);
}
