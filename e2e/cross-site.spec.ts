import { expect, type Request, test } from "@playwright/test";
import { E2E_PORT, storageState } from "./support/config";

// What a page on another site can make a signed-in browser send: a POST carrying the victim's
// cookie, with that site's Origin (or, from some clients, none). Portwatch refuses every such
// request that would change something, before any action or handler runs.

const ORIGIN = `http://localhost:${E2E_PORT}`;
const FOREIGN = "https://attacker.example";

test.describe("a server action posted from another site", () => {
  test.use({ storageState: storageState("admin") });

  test("is refused with 403, with a foreign Origin or none, and changes nothing; from our own page it works", async ({ page, request }) => {
    await page.goto("/settings/general");
    const form = page.locator("form").filter({ has: page.getByLabel("Organisation name") });
    const name = form.getByLabel("Organisation name");
    const original = await name.inputValue();
    // The action's id and body are whatever this build sends: take them from a real save.
    const [sent] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined),
      form.getByRole("button", { name: "Save", exact: true }).click(),
    ]);
    await expect(form.getByText("Nothing changed.")).toBeVisible();

    const replay = (body: string, origin: string | null, r: Request = sent) => {
      const headers = { ...r.headers() };
      delete headers.origin;
      delete headers.cookie;
      return request.post(r.url(), { headers: origin === null ? headers : { ...headers, origin }, data: body });
    };
    const renamed = sent.postData()!.replace(JSON.stringify(original).slice(1, -1), "Renamed by another site");
    expect(renamed).not.toBe(sent.postData());

    for (const origin of [FOREIGN, null, "null"]) {
      const response = await replay(renamed, origin);
      expect(response.status(), `Origin ${origin}`).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(origin === FOREIGN ? /another site/ : /no Origin header/);
    }
    await page.reload();
    await expect(name).toHaveValue(original);

    // The same request from Portwatch's own origin goes through: the refusals above were the Origin's doing.
    expect((await replay(renamed, ORIGIN)).status()).toBe(200);
    await page.reload();
    await expect(name).toHaveValue("Renamed by another site");
    await name.fill(original);
    await form.getByRole("button", { name: "Save", exact: true }).click();
    await expect(form.getByText(/^Saved: /)).toBeVisible();
  });
});

test.describe("route handlers and sign-in posted from another site", () => {
  test.use({ storageState: storageState("auditor") });

  test("the verify upload and the credentials callback answer 403 naming the Origin", async ({ request }) => {
    const upload = { file: { name: "evidence.csv", mimeType: "text/csv", buffer: Buffer.from("framework,control\n") } };
    const refused = await request.post("/api/evidence/verify", { multipart: upload, headers: { origin: FOREIGN } });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toContain(`Origin ${FOREIGN}`);
    const allowed = await request.post("/api/evidence/verify", { multipart: upload, headers: { origin: ORIGIN } });
    expect(allowed.status()).toBe(200);
    expect(((await allowed.json()) as { ok: boolean }).ok).toBe(false);

    const signIn = await request.post("/api/auth/callback/credentials", {
      form: { email: "admin@e2e.test", password: "whatever it is", csrfToken: "x" },
      headers: { origin: FOREIGN },
      maxRedirects: 0,
    });
    expect(signIn.status()).toBe(403);
  });
});
