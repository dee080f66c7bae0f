import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, expect, type Page } from "@playwright/test";
import { STATE_DIR, storageState } from "./config";

/** The sandbox member account global setup prepared (e2e/global-setup.ts). */
export const sandbox = JSON.parse(readFileSync(path.join(STATE_DIR, "sandbox.json"), "utf8")) as { accountId: string; roleArn: string; regions: string[] };

const FSBP = "AWS Foundational Security Best Practices";

/**
 * The app has evaluated a collection of the sandbox account: e2e/collect.spec.ts adds and collects
 * it when the files run in order; run alone, an admin adds the account and collects it here.
 */
export async function ensureEvaluated(page: Page, browser: Browser) {
  await page.goto("/compliance");
  if (await page.getByRole("region", { name: "No results to show yet" }).isVisible()) {
    const adminContext = await browser.newContext({ storageState: storageState("admin") });
    await collectAsAdmin(await adminContext.newPage());
    await adminContext.close();
  }
  // The worker evaluates a finished run within seconds; the page shows results once it has.
  await expect(async () => {
    await page.goto("/compliance");
    await expect(page.getByRole("link", { name: FSBP, exact: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
}

async function collectAsAdmin(page: Page) {
  {
    await page.goto("/accounts");
    if (!(await page.getByRole("row").filter({ hasText: sandbox.accountId }).isVisible())) {
      const form = page.getByRole("form", { name: "Add an AWS account" });
      await form.locator('input[name="accountId"]').fill(sandbox.accountId);
      await form.getByLabel("Name").fill("payments-prod");
      await form.getByLabel("Role ARN").fill(sandbox.roleArn);
      await form.getByLabel("Regions").fill(sandbox.regions.join(", "));
      await form.getByRole("button", { name: "Add account" }).click();
      await expect(page.getByRole("row").filter({ hasText: sandbox.accountId })).toBeVisible();
    }
    await page.goto("/runs");
    await page.getByRole("button", { name: "Collect now" }).click();
    await page.getByRole("link", { name: "Follow its progress" }).click();
    await expect(page.getByRole("region", { name: "Summary" })).toContainText("complete", { timeout: 60_000 });
  }
}

