import { expect, test } from "@playwright/test";
import { storageState } from "./support/config";
import { ensureEvaluated, sandbox } from "./support/collected";

// A security lead's way through compliance: the framework's matrix, a failing control, a failing
// repository, accepting that FAIL with an exception, and the matrix cell showing EXCEPTED. An
// auditor sees the same results but is offered no way to accept anything.

const FSBP = "AWS Foundational Security Best Practices";

test.describe("as a security lead", () => {
  test.use({ storageState: storageState("security") });

  test("matrix → failing control → failing repository → exception → the cell shows EXCEPTED", async ({ page, browser }) => {
    test.setTimeout(150_000);
    await ensureEvaluated(page, browser);
    // The score is never shown without the unknowns beside it.
    const card = page.getByTestId("framework-card-aws-fsbp");
    await expect(card).toContainText(/\d+(\.\d)?%/);
    await expect(card).toContainText(/ERROR/);
    await expect(card).toContainText(/MANUAL/);

    // Posture over time on the Overview: a line per framework, and the numbers as a table.
    await page.goto("/overview");
    const posture = page.getByRole("region", { name: "Posture over the last 90 days" });
    await expect(posture.locator("svg .recharts-legend-item, .recharts-legend-item")).toHaveCount(5);
    await posture.getByText("Posture as a table").click();
    const today = new Date().toISOString().slice(0, 10);
    await expect(posture.getByRole("table").getByRole("row").filter({ hasText: today })).toContainText(/\d+(\.\d)?%/);

    await page.goto("/compliance");
    await page.getByRole("link", { name: FSBP, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: `${FSBP} 1.0.0` })).toBeVisible();
    const matrix = page.getByTestId("compliance-matrix");
    const cell = matrix.getByRole("link", { name: new RegExp(`^ECR\\.2, .*\\(${sandbox.accountId}\\): .*\\d+ FAIL`) });
    await expect(cell).toBeVisible();
    const failing = Number(/(\d+) FAIL/.exec((await cell.getAttribute("aria-label")) ?? (await cell.textContent()) ?? "")?.[1]);
    expect(failing).toBeGreaterThan(0);

    await matrix.getByRole("link", { name: "ECR.2", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: /^ECR\.2 ECR private repositories should have tag immutability configured/ })).toBeVisible();
    // The fix, four ways, with the warning that it can break pipelines.
    await expect(page.getByRole("tab", { name: "AWS CLI" }).first()).toBeVisible();

    const filter = page.getByRole("form", { name: "Filter results" });
    await filter.getByRole("combobox", { name: "Status" }).selectOption("FAIL");
    await filter.getByRole("button", { name: "Apply" }).click();
    const results = page.getByRole("table", { name: "Results for ECR.2" });
    const row = results.getByRole("row").filter({ hasText: "FAIL" }).filter({ hasText: sandbox.accountId }).first();
    await expect(row).toContainText(/imageTagMutability is MUTABLE/);
    const repository = row.getByRole("link").first();
    const name = (await repository.textContent())!.trim();

    // The failing repository's own page shows the same result among all of its controls.
    await repository.click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const compliance = page.getByRole("region", { name: "Compliance" });
    await expect(compliance.getByRole("row").filter({ hasText: "ECR.2" }).first()).toContainText("FAIL");
    await page.goBack();

    await results.getByRole("link", { name: `Accept this FAIL for ${name}` }).click();
    const form = page.getByRole("form", { name: "Create an exception for ECR.2" });
    await expect(form.getByRole("textbox", { name: "Resource pattern" })).toHaveValue(new RegExp(`:repository/${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`));
    // A reason too short is refused with the field named, and nothing is created.
    await form.getByRole("textbox", { name: "Reason" }).fill("ok");
    await form.getByRole("textbox", { name: "Owner" }).fill("platform-team");
    await form.getByRole("button", { name: "Create exception" }).click();
    await expect(form.getByRole("status")).toHaveText("Reason must say why, in at least 10 characters");
    await expect(form.getByRole("textbox", { name: "Reason" })).toHaveAttribute("aria-invalid", "true");

    await form.getByRole("textbox", { name: "Reason" }).fill("Release pipeline re-tags latest until the Q3 migration");
    await form.getByRole("button", { name: "Create exception" }).click();
    await expect(page.getByText(/Exception created; the results were re-evaluated/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole("table", { name: "Exceptions for ECR.2" })).toContainText("active");

    await page.getByRole("link", { name: `← ${FSBP} matrix` }).click();
    const excepted = page.getByTestId("compliance-matrix").getByRole("link", { name: new RegExp(`^ECR\\.2, .*\\(${sandbox.accountId}\\): .*1 EXCEPTED`) });
    await expect(excepted).toBeVisible();
    if (failing === 1) await expect(excepted).not.toContainText("FAIL");

    // EXCEPTED everywhere: the control's results show it with the reason.
    await excepted.click();
    await expect(page.getByRole("table", { name: "Results for ECR.2" }).getByRole("row").filter({ hasText: name }).first()).toContainText(/EXCEPTED[\s\S]*Release pipeline re-tags latest/);
  });
});

test.describe("bad addresses", () => {
  test.use({ storageState: storageState("security") });

  test("an unknown framework or control is a 404 page, and nonsense filters are ignored, never a server error", async ({ page }) => {
    for (const address of ["/compliance/pci-dss", "/compliance/aws-fsbp/ECR.99", "/compliance/aws-fsbp/%3Cscript%3E"]) {
      const response = await page.goto(address);
      expect(response?.status(), address).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "404 · Not found" })).toBeVisible();
    }
    for (const address of [
      "/compliance/aws-fsbp?status=BOGUS&severity=%27%3B%20DROP%20TABLE&environment=x&by=diagonal",
      `/compliance/aws-fsbp/ECR.2?status=FAIL&account=12&region=moon-1&after=${"z".repeat(2000)}`,
    ]) {
      const response = await page.goto(address);
      expect(response?.status(), address).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(/AWS Foundational Security Best Practices|ECR\.2/);
    }
  });
});

test.describe("as an auditor", () => {
  test.use({ storageState: storageState("auditor") });

  test("sees results and exceptions but is offered no way to accept a FAIL or attest", async ({ page, browser }) => {
    test.setTimeout(150_000);
    await ensureEvaluated(page, browser);
    await page.goto("/compliance/aws-fsbp/ECR.2?status=FAIL");
    await expect(page.getByRole("table", { name: "Results for ECR.2" })).toBeVisible();
    await expect(page.getByRole("link", { name: /^Accept this FAIL/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Create an exception for ECR.2" })).toHaveCount(0);
    await page.goto("/compliance/csa-ccm-v5/IAM-01");
    await expect(page.getByRole("heading", { level: 1, name: /^IAM-01/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /attest/i })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
  });
});
