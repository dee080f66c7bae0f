import { expect, test } from "@playwright/test";
import { storageState } from "./support/config";

test.use({ storageState: storageState("security") });

// Before the collector exists, every section says what will appear and how to get it, and
// shows no numbers it does not have.
const SECTIONS = [
  ["Overview", "No collection has run yet"],
  ["Compliance", "No results to show yet"],
  ["Repositories", "No repositories collected yet"],
  ["Vulnerabilities", "No scan findings collected yet"],
  ["Costs", "No Cost Explorer data yet"],
  ["Accounts", "No AWS accounts yet"],
  ["Runs", "No collection has run yet"],
  ["Evidence", "No evidence exports yet"],
] as const;

test("every section is in the navigation and shows an honest empty state", async ({ page }) => {
  await page.goto("/overview");
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
