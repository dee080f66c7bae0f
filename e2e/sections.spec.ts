import { expect, test } from "@playwright/test";
import { storageState } from "./support/config";

test.use({ storageState: storageState("security") });

// Every section is in the navigation and opens as the current page. (What each shows: Accounts,
// Runs and Repositories in e2e/collect.spec.ts; Compliance in compliance.spec.ts; Costs in
// costs.spec.ts; Evidence in evidence.spec.ts.)
const SECTIONS = ["Overview", "Compliance", "Repositories", "Vulnerabilities", "Costs", "Accounts", "Runs", "Evidence", "Settings"] as const;

test("every section is in the navigation and opens as the current page", async ({ page }) => {
  await page.goto("/overview");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section, exact: true })).toHaveAttribute("aria-current", "page");
  }
});
