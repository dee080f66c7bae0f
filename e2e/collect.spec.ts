import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { STATE_DIR, storageState } from "./support/config";

// The collector end to end, as an admin does it: add an account (a bad id first), test the
// connection, collect now, watch the run finish, and read a repository's images. The app talks
// to the sandbox AWS organisation through the real SDK clients.

const sandbox = JSON.parse(readFileSync(path.join(STATE_DIR, "sandbox.json"), "utf8")) as { accountId: string; roleArn: string; regions: string[]; managementAccountId: string; externalId: string };

test.use({ storageState: storageState("admin") });

test("an admin adds an account, tests it, collects it and opens a repository's images", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
  await expect(page.getByRole("region", { name: "No AWS accounts yet" })).toBeVisible();
  // The trust policy names who the collector runs as (STS GetCallerIdentity), with the external id.
  await expect(page.getByTestId("trust-policy")).toContainText(`arn:aws:iam::${sandbox.managementAccountId}:user/portwatch`);
  await expect(page.getByTestId("trust-policy")).toContainText(sandbox.externalId);

  const form = page.getByRole("form", { name: "Add an AWS account" });
  await form.getByLabel("Account id").fill("12345");
  await form.getByLabel("Name").fill("payments-prod");
  await form.getByLabel("Role ARN").fill("arn:aws:iam::12345:role/PortwatchReadOnly");
  await form.getByRole("button", { name: "Add account" }).click();
  await expect(form.getByText(/Account id must be exactly 12 digits/)).toBeVisible();
  await expect(form.locator('input[name="accountId"]')).toHaveAttribute("aria-invalid", "true");

  await form.locator('input[name="accountId"]').fill(sandbox.accountId);
  await form.getByLabel("Role ARN").fill(sandbox.roleArn);
  await form.getByLabel("Regions").fill(sandbox.regions.join(", "));
  await form.getByRole("button", { name: "Add account" }).click();
  const row = page.getByRole("row").filter({ hasText: sandbox.accountId });
  await expect(row).toBeVisible();
  await expect(row).toContainText("payments-prod");

  await row.getByRole("button", { name: "Test connection" }).click();
  await expect(row.getByText("connected")).toBeVisible({ timeout: 30_000 });
  for (const region of sandbox.regions) await expect(row.getByRole("listitem").filter({ hasText: region })).toContainText("ok");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs", exact: true }).click();
  await page.getByRole("button", { name: "Collect now" }).click();
  await page.getByRole("link", { name: "Follow its progress" }).click();
  await expect(page.getByRole("progressbar", { name: "Targets finished" })).toBeVisible();
  // The page polls: the run finishes without a reload.
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("complete", { timeout: 60_000 });
  // One target per region of the account, and the Cost Explorer target.
  const targets = sandbox.regions.length + 1;
  await expect(page.getByRole("progressbar", { name: "Targets finished" })).toHaveAttribute("aria-valuetext", `${targets} of ${targets} targets finished`);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Repositories", exact: true }).click();
  const firstRepository = page.getByRole("table", { name: "Repositories" }).getByRole("row").nth(1).getByRole("link").first();
  const name = (await firstRepository.textContent())!.trim();
  await firstRepository.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const images = page.getByRole("table", { name: /images/i });
  await expect(images.getByRole("row").nth(1)).toBeVisible();
  await expect(images).toContainText(/sha256:|MiB|KiB|GiB/);
});

test("a run with an account whose role cannot be assumed is partial, and the run page names the failure", async ({ page }) => {
  test.setTimeout(150_000);
  // An account the sandbox organisation has no role in: STS refuses AssumeRole, as AWS would.
  const missing = "999999999990";
  await page.goto("/accounts");
  const form = page.getByRole("form", { name: "Add an AWS account" });
  await form.locator('input[name="accountId"]').fill(missing);
  await form.getByLabel("Name").fill("no-role-yet");
  await form.getByLabel("Role ARN").fill(`arn:aws:iam::${missing}:role/PortwatchReadOnly`);
  await form.getByLabel("Regions").fill(sandbox.regions[0]);
  await form.getByRole("button", { name: "Add account" }).click();
  const row = page.getByRole("row").filter({ hasText: missing });
  await expect(row).toBeVisible();

  const collectAndOpen = async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs", exact: true }).click();
    await page.getByRole("button", { name: "Collect now" }).click();
    await page.getByRole("link", { name: "Follow its progress" }).click();
  };
  await collectAndOpen();
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText("partial", { timeout: 60_000 });
  // The failed target says which account, which call and what AWS answered; the others are done.
  const targets = page.getByRole("table", { name: /^Targets of run #/ });
  const failedRow = targets.getByRole("row").filter({ hasText: missing });
  await expect(failedRow).toContainText(sandbox.regions[0]);
  await expect(failedRow).toContainText("AccessDenied in sts:AssumeRole");
  await expect(failedRow).toContainText(/not authorized to perform: sts:AssumeRole/);
  for (const region of sandbox.regions) await expect(targets.getByRole("row").filter({ hasText: sandbox.accountId }).filter({ hasText: region })).toContainText("done");
  // And under "Failed AWS calls", grouped by account and region, once the page is read again.
  await page.reload();
  const errors = page.getByRole("region", { name: `Errors in ${missing} ${sandbox.regions[0]}` });
  await expect(errors).toContainText("sts:AssumeRole");
  await expect(errors).toContainText("AccessDenied (access-denied)");

  // Removed again, the next run is complete: the specs after this one see the organisation as before.
  await page.goto("/accounts");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("row").filter({ hasText: missing }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("row").filter({ hasText: missing })).toHaveCount(0);
  await collectAndOpen();
  await expect(summary).toContainText("complete", { timeout: 60_000 });
});
