import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "@/lib/env";
import { ROOT } from "@/test/cli";

// docs/operations.md is what an operator configures Portwatch from: every variable lib/env.ts
// reads must be in its table, and it must not send anyone looking for a variable nothing reads.

const DOC = path.join(ROOT, "docs", "operations.md");

/**
 * Variables the doc names that the app does not read: each is read by the one tool given, which
 * is checked below, so a renamed or removed one fails here too.
 */
const TOOL_VARIABLES: Record<string, string> = {
  PORTWATCH_AUDIT_REQUIRED: "scripts/audit-deps.mjs",
  PORTWATCH_E2E_PORT: "e2e/support/config.ts",
};

async function doc(): Promise<string> {
  return readFile(DOC, "utf8");
}

/** The first cell of each row of the table under "## Environment variables", up to the next heading. */
function tableVariables(text: string): string[] {
  const section = text.split(/^## Environment variables$/m)[1]?.split(/^#{2,3} /m)[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
}

describe("docs/operations.md", () => {
  it("has every variable of lib/env.ts in its environment table, with a default, a meaning and an example", async () => {
    const text = await doc();
    const documented = tableVariables(text);
    const missing = Object.keys(envSchema.shape).filter((key) => !documented.includes(key));
    expect(missing, "variables lib/env.ts reads but the table lacks").toEqual([]);
    const rows = text.split("\n").filter((line) => /^\| `[A-Z]/.test(line) && Object.keys(envSchema.shape).some((k) => line.startsWith(`| \`${k}\``)));
    for (const row of rows) expect(row.split("|").length, row).toBeGreaterThanOrEqual(7);
  });

  it("names no PORTWATCH_ or AUTH_ variable that nothing reads", async () => {
    const text = await doc();
    const named = new Set([...text.matchAll(/\b((?:PORTWATCH|AUTH)_[A-Z0-9_]*[A-Z0-9])\b/g)].map((m) => m[1]));
    const known = new Set([...Object.keys(envSchema.shape), ...Object.keys(TOOL_VARIABLES)]);
    expect([...named].filter((name) => !known.has(name)), "variables in the doc that lib/env.ts does not read").toEqual([]);
  });

  it("says that the tool-only variables are read by their tool, not by the app", async () => {
    const text = await doc();
    for (const [name, reader] of Object.entries(TOOL_VARIABLES)) {
      expect(await readFile(path.join(ROOT, reader), "utf8"), `${reader} reads ${name}`).toContain(name);
      expect(Object.keys(envSchema.shape)).not.toContain(name);
    }
    expect(text).toMatch(/\| `PORTWATCH_AUDIT_REQUIRED` \| `scripts\/audit-deps\.mjs` \(CI only\) \|.*The app never reads it/);
  });

  it("links the operations guide from the README", async () => {
    expect(await readFile(path.join(ROOT, "README.md"), "utf8")).toContain("](docs/operations.md)");
  });
});
