import { readFile } from "node:fs/promises";
import { expect, type Page, test } from "@playwright/test";
import { storageState } from "./support/config";
import { ensureEvaluated, sandbox } from "./support/collected";

// FinOps: where ECR money goes (the Costs page, with the table and a CSV behind each chart), what
// a repository costs, what the organisation could save, and a lifecycle policy tried out on a
// repository before anyone applies it.

/** "$1,234.56" -> 1234.56 */
const dollars = (text: string) => Number(text.replace(/[^0-9.-]/g, ""));

async function bars(page: Page, section: string) {
  return page.getByRole("region", { name: section }).locator(".recharts-bar-rectangle path");
}

test.describe("as FinOps", () => {
  test.use({ storageState: storageState("finops") });

  test("the costs page charts spend by category, account and region, with each table's CSV", async ({ page, browser }) => {
    test.setTimeout(150_000);
    await ensureEvaluated(page, browser);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeVisible();

    const headline = page.getByTestId("cost-headline");
    await expect(headline).toContainText("Month to date");
    await expect(headline).toContainText(/\$\d/);
    await expect(page.getByTestId("cost-forecast")).toContainText(/80%/);
    // Each Cost Explorer request costs a cent: the page says how many this month's runs made.
    await expect(page.getByTestId("cost-explorer-requests")).toContainText(/\d+\s*requests?/);

    // Every chart is drawn with bars, and the monthly one has a bar per month and category.
    for (const section of ["By month and category", /^By day and category/, /^By account/, /^By region/]) {
      await expect((await bars(page, section as string)).first()).toBeVisible();
    }
    expect(await (await bars(page, "By month and category")).count()).toBeGreaterThan(12);

    // The table behind the monthly chart: its total is the sum of its rows.
    const monthly = page.getByTestId("cost-table-monthly");
    const totals = await monthly.locator("tbody tr td:last-child").allTextContents();
    expect(totals.length).toBeGreaterThan(12);
    const sum = totals.map(dollars).reduce((a, b) => a + b, 0);
    const total = dollars((await page.getByTestId("cost-table-monthly-total").textContent()) ?? "");
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(sum - total)).toBeLessThan(0.01 * totals.length);

    // Its CSV holds the same months and adds up to the same total.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download monthly cost by category as CSV" }).click()]);
    const csv = (await readFile((await download.path())!, "utf8")).trim().split("\n");
    expect(csv[0]).toMatch(/month/i);
    expect(csv.length - 1).toBe(totals.length);
    const totalColumn = csv[0].split(",").indexOf("total (USD)");
    expect(totalColumn).toBeGreaterThan(0);
    const csvTotal = csv.slice(1).reduce((s, line) => s + Number(line.split(",")[totalColumn]), 0);
    expect(Math.abs(csvTotal - total)).toBeLessThan(0.01);

    // A narrower range is a filter in the address, and the page follows it.
    await page.goto("/costs?range=30");
    await expect(page.getByRole("heading", { level: 2, name: /^By day and category/ })).toBeVisible();
    await expect(page.getByTestId("cost-table-daily").locator("tbody tr")).toHaveCount(30);
  });

  test("what each repository costs and what the organisation could save", async ({ page }) => {
    await page.goto("/costs/repositories");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/Repositor/);
    const rows = page.getByRole("table").first().getByRole("row");
    await expect(rows.nth(1)).toContainText(sandbox.accountId);
    await expect(rows.nth(1)).toContainText(/\$\d/);

    await page.goto("/costs/savings");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/Saving/);
    await expect(page.getByRole("table").first().getByRole("row").nth(1)).toContainText(/\$\d/);
  });

  test("a repository's lifecycle what-if: an invalid rule is named, the fixed one shows what expires and the saving", async ({ page }) => {
    // The repository with the most images: the one where a policy matters most.
    await page.goto("/repositories?sort=images&dir=desc");
    await page.getByRole("table", { name: "Repositories" }).getByRole("row").nth(1).getByRole("link").first().click();
    const section = page.getByRole("region", { name: "Lifecycle what-if" });
    await expect(section).toBeVisible();
    await expect(section.getByTestId("recommended-totals")).toContainText(/images would expire/);

    const editor = section.getByRole("textbox", { name: "Lifecycle policy JSON" });
    const rule = (selection: Record<string, unknown>) =>
      JSON.stringify({ rules: [{ rulePriority: 1, description: "Keep the newest two tagged images", selection, action: { type: "expire" } }] }, null, 2);
    // A tagged rule without a tag list is one ECR refuses.
    await editor.fill(rule({ tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 2 }));
    const errors = section.getByRole("list", { name: "Policy errors" });
    await expect(errors).toBeVisible();
    await expect(errors).toContainText("rules[0].selection");
    await expect(errors).toContainText(/tagPatternList|tagPrefixList/);

    await editor.fill(rule({ tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 2 }));
    await expect(errors).toBeHidden();
    const totals = section.getByTestId("edited-totals");
    await expect(totals).toContainText(/would expire/);
    await expect(totals).toContainText(/saving \$\d+\.\d\d\/month/);
    const expired = section.getByRole("table", { name: "What the policy would expire or archive" });
    await expect(expired.getByRole("row").nth(1)).toContainText("expire");
    // The result is offered as policy JSON, an AWS CLI command and Terraform: nothing is applied.
    await section.getByText("AWS CLI", { exact: true }).click();
    await expect(section.getByText(/aws ecr put-lifecycle-policy/)).toBeVisible();
  });
});

test("an auditor is not shown costs", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageState("auditor") });
  const page = await context.newPage();
  await page.goto("/costs");
  await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeHidden();
  await expect(page.getByText(/not allowed|permission|forbidden/i).first()).toBeVisible();
  const response = await page.request.get("/api/costs/monthly");
  expect(response.status()).toBe(403);
  await context.close();
});
