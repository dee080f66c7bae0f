import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { expect, request, test } from "@playwright/test";
import { freePort } from "../test/pg-server";
import { ROOT } from "./support/config";
import { startPortwatch, stopPortwatch } from "./support/portwatch-process";
import { signInRequest } from "./support/sign-in";

function processesMentioning(text: string): string[] {
  return execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(text) && !line.startsWith("ps "));
}

// What a new user does: `portwatch demo` with no DATABASE_URL, sign in with the printed login,
// Ctrl-C, start again.
test("demo starts on the embedded database, prints a login that works, stops cleanly and reuses its data", async () => {
  test.setTimeout(180_000);
  const dataDir = await mkdtemp(path.join(ROOT, ".portwatch", "demo-test-"));
  const port = await freePort();
  const { DATABASE_URL: _ignored, PORTWATCH_ADMIN_PASSWORD: _unset, ...base } = process.env;
  const env = { ...base, PORTWATCH_DATA_DIR: dataDir, PORTWATCH_PG_PORT: String(await freePort()) };
  const baseURL = `http://localhost:${port}`;
  try {
    const first = await startPortwatch(["demo", "--port", String(port)], env, /Press Ctrl-C to stop/);
    expect(first.output()).toContain(`Portwatch is running at ${baseURL}`);
    const password = /Password: (\S+)/.exec(first.output())?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const api = await request.newContext({ baseURL });
    expect((await api.get("/login")).status()).toBe(200);
    await signInRequest(api, "admin@portwatch.local", password!);
    const page = await api.get("/overview");
    expect(await page.text()).toContain("admin@portwatch.local");
    await api.dispose();

    expect(await stopPortwatch(first.child)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
    await expect.poll(async () => fetch(`${baseURL}/login`).then(() => "up", () => "down")).toBe("down");

    const second = await startPortwatch(["demo", "--port", String(port)], env, /Press Ctrl-C to stop/);
    expect(second.output()).not.toContain("Created the admin");
    expect(second.output()).toContain(`Sign in as admin@portwatch.local with password: ${password}`);
    const again = await request.newContext({ baseURL });
    await signInRequest(again, "admin@portwatch.local", password!);
    await again.dispose();
    expect(await stopPortwatch(second.child)).toBe(0);
    expect(processesMentioning(dataDir)).toEqual([]);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
