import { expect, type Page, test } from "@playwright/test";
import { storageState, USERS } from "./support/config";
import { cliEnv } from "./support/cli-env";
import { runPortwatch } from "./support/portwatch-process";

// The app under test is configured with the test OpenID Connect provider (e2e/support/oidc-provider.ts).
async function signInThroughProvider(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Test IdP" })).toBeVisible();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a new person signs in through OIDC and gets the default role, auditor", async ({ page }) => {
  const email = `oidc-${Date.now()}@corp.test`;
  await signInThroughProvider(page, email);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId("current-user")).toContainText(email);
  await expect(page.getByTestId("current-user")).toContainText("auditor");

  await page.goto("/settings");
  await expect(page.getByRole("main").getByText(email)).toBeVisible();
  await expect(page.getByText("You sign in through single sign-on")).toBeVisible();
  await expect(page.getByRole("button", { name: "Change password" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("current-user")).toContainText(email);
});

test.describe("an admin sees who came in through OIDC", () => {
  test.use({ storageState: storageState("admin") });
  test("listed with single sign-on and an audited sign-in", async ({ page, browser, baseURL }) => {
    const email = `listed-${Date.now()}@corp.test`;
    const theirs = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    await signInThroughProvider(await theirs.newPage(), email);
    await theirs.close();

    await page.goto("/settings/users");
    await expect(page.getByTestId(`user-${email}`)).toContainText("single sign-on");
    await page.goto("/settings/audit");
    await expect(page.getByRole("row", { name: new RegExp(`${email}.*auth.sign_in.*oidc`) })).toBeVisible();
  });
});

test("a disabled person cannot sign in through OIDC", async ({ page, browser, baseURL }) => {
  const email = `disabled-${Date.now()}@corp.test`;
  const first = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const firstPage = await first.newPage();
  await signInThroughProvider(firstPage, email);
  await expect(firstPage.getByTestId("current-user")).toContainText(email);

  await runPortwatch(["users", "disable", "--email", email], cliEnv());
  await firstPage.reload();
  await expect(firstPage).toHaveURL(/\/login/);
  await first.close();

  await signInThroughProvider(page, email);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("status")).toContainText("Your account is disabled or not allowed to sign in");
});

test("an OIDC identity is not silently linked to a local password user with the same email", async ({ page }) => {
  await signInThroughProvider(page, USERS.finops);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("status")).toContainText("A Portwatch user with this email signs in with a password");
});
