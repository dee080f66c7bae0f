import { expect, test } from "@playwright/test";
import { storageState } from "./support/config";

test.use({ storageState: storageState("security") });

// Sections whose data arrives with later capabilities say what will appear and how to get it,
// and show no numbers they do not have. (Accounts, Runs and Repositories: e2e/collect.spec.ts;
// Compliance: e2e/compliance.spec.ts; Costs: e2e/costs.spec.ts.)
const SECTIONS = [
  ["Evidence", "No evidence exports yet"],
] as const;

test("every section is in the navigation and shows an honest empty state", async ({ page }) => {
  await page.goto("/overview");
  for (const section of ["Overview", "Compliance", "Repositories", "Vulnerabilities", "Costs", "Accounts", "Runs"]) {
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section, exact: true })).toBeVisible();
  }
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [section, empty] of SECTIONS) {
    await nav.getByRole("link", { name: section, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section, exact: true })).toHaveAttribute("aria-current", "page");
    const state = page.getByRole("region", { name: empty });
    await expect(state).toBeVisible();
    await expect(state).not.toContainText(/\$\s?\d|\d+\s?%/);
  }
  await nav.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
});
