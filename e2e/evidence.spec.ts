import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { storageState } from "./support/config";
import { ensureEvaluated } from "./support/collected";

// An auditor files evidence: a PDF export made by a worker with its progress shown, downloaded,
// and verified on the page (intact, signed here, in the chain); a changed copy is caught. FinOps
// has no part in audits.

test.describe("as an auditor", () => {
  test.use({ storageState: storageState("auditor") });

  test("creates a PDF export, downloads it and verifies it; a changed byte is named", async ({ page, browser }) => {
    test.setTimeout(150_000);
    await ensureEvaluated(page, browser);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Evidence", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeVisible();

    const form = page.getByRole("form", { name: "Create an evidence export" });
    await form.getByLabel("Framework").selectOption("aws-fsbp");
    await form.getByLabel("Format").selectOption("pdf");
    await form.getByRole("button", { name: "Create export" }).click();
    await expect(form.getByRole("status")).toContainText("Export queued");

    // The worker makes it; the row ends "done" with a download link, without a reload.
    const exports = page.getByRole("table", { name: "Exports" });
    const link = exports.getByRole("link", { name: /^portwatch-aws-fsbp-.*\.pdf$/ }).first();
    await expect(link).toBeVisible({ timeout: 60_000 });
    await expect(exports.getByRole("row").nth(1)).toContainText(/file [0-9a-f]{16}/);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const pdf = await readFile((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");

    const verify = page.getByRole("form", { name: "Verify an export" });
    await verify.locator('input[name="file"]').setInputFiles({ name: download.suggestedFilename(), mimeType: "application/pdf", buffer: pdf });
    await verify.getByRole("button", { name: "Verify" }).click();
    const verdict = page.getByTestId("verify-verdict");
    await expect(verdict).toContainText("✓ Verified");
    await expect(verdict).toContainText("✓ The file is intact");
    await expect(verdict).toContainText("✓ The manifest is signed by this installation's key");

    // One flipped byte: not an export of this installation any more, and the page says why.
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    await verify.locator('input[name="file"]').setInputFiles({ name: "changed.pdf", mimeType: "application/pdf", buffer: changed });
    await verify.getByRole("button", { name: "Verify" }).click();
    await expect(verdict).toContainText("✗ Not verified");
    await expect(verdict).toContainText(/SHA-256/);
  });
});

test("FinOps cannot make or download evidence", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageState("finops") });
  const page = await context.newPage();
  await page.goto("/evidence");
  await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeHidden();
  await expect(page.getByText(/Not allowed/).first()).toBeVisible();
  expect((await page.request.post("/api/evidence/verify", { multipart: { file: { name: "x.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-") } } })).status()).toBe(403);
  await context.close();
});
