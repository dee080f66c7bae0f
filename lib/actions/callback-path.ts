/** Only a path on this site may follow sign-in: never another host (open redirect). */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/overview";
  }
  try {
    const url = new URL(value, "http://portwatch.invalid");
    if (url.host !== "portwatch.invalid" || url.pathname.startsWith("/api/") || url.pathname === "/login") return "/overview";
    return `${url.pathname}${url.search}`;
  } catch {
    return "/overview";
  }
}
