import { expect, type APIResponse, test } from "@playwright/test";
import { E2E_PORT, storageState } from "./support/config";

// Bad input over real HTTP, against the built app behind `portwatch serve`: what the in-process
// fuzz tests (test/fuzz/*) cannot see, because the server and Next read the request first: the
// 1 MB body cap (cli/web-server.mjs; Next's own server-action limit would answer 500), the
// multipart parser, the URL decoder. Every answer is a 4xx, never a 500.

const ORIGIN = `http://localhost:${E2E_PORT}`;
const OVER_ONE_MB = "x".repeat(1024 * 1024 + 16);

async function expectClientError(response: APIResponse, what: string) {
  const body = await response.text();
  expect(response.status(), `${what}: ${response.status()} ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(response.status(), `${what}: ${body.slice(0, 200)}`).toBeLessThan(500);
  return body;
}

test.describe("a server action with a body over 1 MB", () => {
  test.use({ storageState: storageState("admin") });

  test("is refused with a 4xx and changes nothing", async ({ page, request }) => {
    await page.goto("/settings/general");
    const form = page.locator("form").filter({ has: page.getByLabel("Organisation name") });
    const organisation = await form.getByLabel("Organisation name").inputValue();
    // The action's id is whatever this build gave it: take it from a real (unchanged) save.
    const [sent] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined),
      form.getByRole("button", { name: "Save", exact: true }).click(),
    ]);
    await expect(form.getByText("Nothing changed.")).toBeVisible();

    const response = await request.post(sent.url(), {
      headers: {
        "next-action": sent.headers()["next-action"],
        "content-type": "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin: ORIGIN,
      },
      data: JSON.stringify([{ organisationName: OVER_ONE_MB, defaultRegions: "us-east-1" }]),
    });
    expect(await expectClientError(response, "server action body over 1 MB")).toMatch(/1 MB/);

    await page.reload();
    await expect(form.getByLabel("Organisation name")).toHaveValue(organisation);
  });
});

test.describe("the verify route with odd bodies", () => {
  test.use({ storageState: storageState("auditor") });

  // This route takes uploads up to 210 MB (an export is at most 200 MB), so a big body reaches it
  // and it names what is wrong with it.
  const bodies: [string, { headers: Record<string, string>; data: string }, RegExp][] = [
    ["over 1 MB of text", { headers: { "content-type": "text/plain" }, data: OVER_ONE_MB }, /multipart/],
    ["over 1 MB of JSON", { headers: { "content-type": "application/json" }, data: JSON.stringify({ file: OVER_ONE_MB }) }, /multipart/],
    ["a multipart body over 1 MB", { headers: { "content-type": "multipart/form-data; boundary=x" }, data: `--x\r\nnot a part${OVER_ONE_MB}` }, /multipart/],
    ["JSON instead of a form", { headers: { "content-type": "application/json" }, data: '{"file": "x"}' }, /multipart/],
    ["a broken multipart body", { headers: { "content-type": "multipart/form-data; boundary=x" }, data: "--x\r\nnot a part" }, /multipart/],
  ];

  for (const [name, { headers, data }, names] of bodies) {
    test(`${name}: 4xx saying what is wrong`, async ({ request }) => {
      const response = await request.post("/api/evidence/verify", { headers: { ...headers, origin: ORIGIN }, data });
      expect(await expectClientError(response, name)).toMatch(names);
    });
  }
});

test.describe("the verify route with a real export-sized upload", () => {
  test.use({ storageState: storageState("auditor") });

  test("a 3 MB file is read and judged (not an export of ours), not refused for its size", async ({ request }) => {
    const response = await request.post("/api/evidence/verify", {
      headers: { origin: ORIGIN },
      multipart: { file: { name: "big.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(3 * 1024 * 1024, 7) } },
    });
    expect(response.status()).toBe(200);
    expect(((await response.json()) as { ok: boolean }).ok).toBe(false);
  });
});

test.describe("the CSV routes with odd query strings", () => {
  const queries: [string, "finops" | "admin", RegExp][] = [
    ["/api/costs/monthly?range=7", "finops", /range/],
    ["/api/costs/monthly?range=30&range=90", "finops", /range/],
    ["/api/costs/monthly?from=2026-12-01&to=2026-01-01", "finops", /from/],
    ["/api/costs/monthly?account=%00", "finops", /account/],
    ["/api/costs/..%2F..%2Fetc%2Fpasswd", "finops", /cost table|not found/i],
    ["/api/costs/repositories?min=-1", "finops", /min/],
    ["/api/costs/repositories?account=111111111111&account=222222222222", "finops", /account/],
    [`/api/costs/repositories?name=${"a".repeat(300)}`, "finops", /name/],
    ["/api/costs/savings?kind=%3Cscript%3E", "finops", /kind/],
    ["/api/audit-log?before=9999999999999999999", "admin", /before/],
    ["/api/audit-log?limit=-1&format=xml", "admin", /format|limit/],
    ["/api/runs/%00", "admin", /run number|bad request/i],
  ];
  for (const [url, role, names] of queries) {
    test.describe(`${role} ${url.slice(0, 60)}`, () => {
      test.use({ storageState: storageState(role) });
      test("is a 4xx naming the parameter", async ({ request }) => {
        const body = await expectClientError(await request.get(url), url);
        expect(body).toMatch(names);
      });
    });
  }
});
