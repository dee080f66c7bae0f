/**
 * The address a request came from, for sign-in rate limits. Next's own server appends the
 * socket's address to X-Forwarded-For, so without a trusted proxy the last entry is the one a
 * client cannot forge; behind a proxy the operator trusts (PORTWATCH_TRUST_PROXY), the first is.
 */
export function clientIp(headers: Headers, trustProxy: boolean): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const ip = trustProxy ? forwarded[0] : forwarded[forwarded.length - 1];
  return (ip ?? headers.get("x-real-ip") ?? "unknown").slice(0, 64);
}
