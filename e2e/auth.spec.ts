import { expect, test } from "@playwright/test";
import { PASSWORD, storageState, USERS } from "./support/config";
import { postCredentials } from "./support/sign-in";

test.describe("signing in", () => {
  test("an anonymous visitor is sent to sign in, lands where they were going, and can sign out", async ({ page }) => {
    await page.goto("/costs");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fcosts$/);
    await page.getByLabel("Email").fill(USERS.security);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    await expect(page).toHaveURL(/\/costs$/);
    await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeVisible();
    await expect(page.getByTestId("current-user")).toContainText(USERS.security);
    await expect(page.getByTestId("current-user")).toContainText("security");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a wrong password says so and signs nobody in", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(USERS.auditor);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel("Email")).toHaveValue(USERS.auditor);
  });

  test("after 5 failures in a minute the sixth attempt is refused with 429, even with the right password", async ({ playwright, page }) => {
    const email = `locked-${Date.now()}@e2e.test`;
    const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    for (let i = 0; i < 5; i++) expect((await postCredentials(api, email, `guess ${i} of many`)).status()).toBe(302);
    const refused = await postCredentials(api, email, "another guess entirely");
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    await api.dispose();

    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("yet another guess");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("sign-in-error")).toContainText("Too many failed sign-ins. Try again in");
  });

  test("pages carry security headers and the session cookie is HttpOnly and SameSite", async ({ page, context }) => {
    const response = await page.goto("/login");
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["strict-transport-security"]).toContain("max-age=63072000");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-powered-by"]).toBeUndefined();

    await page.getByLabel("Email").fill(USERS.finops);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    const cookie = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });
});

test.describe("a signed-in session", () => {
  test.use({ storageState: storageState("auditor") });

  test("survives a reload", async ({ page }) => {
    await page.goto("/overview");
    await expect(page.getByTestId("current-user")).toContainText(USERS.auditor);
    await page.reload();
    await expect(page.getByTestId("current-user")).toContainText(USERS.auditor);
    await expect(page).toHaveURL(/\/overview$/);
  });
});

test.describe("roles", () => {
  test.describe("finops", () => {
    test.use({ storageState: storageState("finops") });

    test("is refused the Users page with 403, and sees no admin links", async ({ page }) => {
      const response = await page.goto("/settings/users");
      expect(response!.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "403 · Not allowed" })).toBeVisible();
      await expect(page.getByText(USERS.admin)).toHaveCount(0);

      await page.goto("/settings");
      await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
    });
  });

  test.describe("admin", () => {
    test.use({ storageState: storageState("admin") });

    test("adds a user who signs in with the generated password; disabling them ends their session", async ({ page, browser, baseURL }) => {
      const email = `new-${Date.now()}@e2e.test`;
      await page.goto("/settings/users");
      await page.getByRole("textbox", { name: "Email" }).fill(email);
      await page.getByRole("combobox", { name: "Role", exact: true }).selectOption("security");
      await page.getByRole("button", { name: "Add user" }).click();
      const password = (await page.getByTestId("generated-password").textContent())!;
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      await expect(page.getByTestId(`user-${email}`)).toContainText("active");

      const theirs = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
      const their = await theirs.newPage();
      await their.goto("/login");
      await their.getByLabel("Email").fill(email);
      await their.getByLabel("Password").fill(password);
      await their.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(their.getByTestId("current-user")).toContainText(email);

      await page.getByTestId(`user-${email}`).getByRole("button", { name: "Disable" }).click();
      await expect(page.getByTestId(`user-${email}`)).toContainText("disabled");

      await their.reload();
      await expect(their).toHaveURL(/\/login/);
      await theirs.close();

      await page.goto("/settings/audit");
      await expect(page.getByRole("row", { name: new RegExp(`user.disable.*${email}`) })).toBeVisible();
    });

    test("refuses to demote the only admin, and says why", async ({ page }) => {
      await page.goto("/settings/users");
      const row = page.getByTestId(`user-${USERS.admin}`);
      await row.getByRole("combobox").selectOption("auditor");
      await expect(row.getByRole("status")).toHaveText("This is the only active admin: make another user an admin first");
      await expect(row.getByRole("combobox")).toHaveValue("admin");
      await page.reload();
      await expect(page.getByTestId("current-user")).toContainText("admin");
    });
  });
});

test.describe("the audit log download is a route handler that checks the role itself", () => {
  test("anonymous gets 401", async ({ request }) => {
    const response = await request.get("/api/audit-log");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in to continue" });
  });

  for (const [role, status] of [["finops", 403], ["auditor", 200], ["security", 200], ["admin", 200]] as const) {
    test.describe(role, () => {
      test.use({ storageState: storageState(role) });
      test(`gets ${status}`, async ({ request }) => {
        const response = await request.get("/api/audit-log?format=csv");
        expect(response.status()).toBe(status);
        if (status === 200) {
          expect(response.headers()["content-type"]).toContain("text/csv");
          expect((await response.text()).split("\r\n")[0]).toBe("id,at,actor,action,targetType,targetId,details");
        }
      });
    });
  }
});
