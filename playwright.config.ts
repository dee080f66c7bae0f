import { defineConfig } from "@playwright/test";
import { CHROMIUM, E2E_PORT } from "./e2e/support/config";

// Debian's chromium, never a downloaded browser (STACK.md, trap 3). The app under test is started
// by e2e/global-setup.ts through `portwatch serve`, as a user would start it.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: CHROMIUM.executablePath, args: CHROMIUM.args },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
