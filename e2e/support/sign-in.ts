import { type APIRequestContext, expect } from "@playwright/test";

/** Signs in through Auth.js's own endpoints (CSRF token, then the credentials callback). */
export async function postCredentials(context: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
}

export async function signInRequest(context: APIRequestContext, email: string, password: string) {
  const response = await postCredentials(context, email, password);
  expect(response.status(), `sign-in of ${email}`).toBe(302);
  expect(response.headers().location).not.toContain("error=");
}
