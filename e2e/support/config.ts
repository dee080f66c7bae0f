import path from "node:path";
import type { Role } from "../../lib/auth/roles";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const E2E_PORT = Number(process.env.PORTWATCH_E2E_PORT ?? 3100);
export const STATE_DIR = path.join(ROOT, ".portwatch", "e2e-state");

export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
};

/** The people global setup creates, one per role; test-only passwords for a throwaway database. */
export const PASSWORD = "e2e-password-for-every-role";
export const USERS: Record<Role, string> = {
  admin: "admin@e2e.test",
  security: "security@e2e.test",
  finops: "finops@e2e.test",
  auditor: "auditor@e2e.test",
};

export const storageState = (role: Role) => path.join(STATE_DIR, `${role}.json`);
