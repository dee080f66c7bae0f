import { type APIRequestContext, expect } from "@playwright/test";

/** Signs in through Auth.js's own endpoints (CSRF token, then the credentials callback). */
export async function postCredentials(context: APIRequestContext, email: string, password: string) {
  const csrf = await context.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  // A browser sends its page's Origin with every POST; Portwatch refuses one without it.
  return context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    headers: { origin: new URL(csrf.url()).origin },
    maxRedirects: 0,
  });
}

export async function signInRequest(context: APIRequestContext, email: string, password: string) {
  const response = await postCredentials(context, email, password);
  expect(response.status(), `sign-in of ${email}`).toBe(302);
  expect(response.headers().location).not.toContain("error=");
}
