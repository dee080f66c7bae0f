import { generateKeyPairSync } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Ajv from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxOptions } from "@/lib/sandbox/options";
import { accountsConfig } from "@/lib/sandbox/organization";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { portwatch, ROOT } from "@/test/cli";
import { awsEnvironment } from "@/test/collector";
import { createTestDatabase } from "@/test/database";

// `portwatch export` as an auditor's pipeline uses it after `portwatch collect`, and `portwatch
// verify` on what it wrote: the two commands agree, and a changed byte is caught.

const run = promisify(execFile);
let dir: string;
let demo: RunningSandbox;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-export-"));
  demo = await startSandbox(sandboxOptions("demo"));
  db = await createTestDatabase();
  const signingKey = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
  env = { DATABASE_URL: db.url, PORTWATCH_SIGNING_KEY: signingKey, ...awsEnvironment(demo) };
  await writeFile(path.join(dir, "demo.json"), JSON.stringify(accountsConfig(demo.organization)));
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("portwatch export", () => {
  it("refuses bad arguments in one line, naming them", async () => {
    for (const [args, message] of [
      [["--framework", "nope", "--format", "pdf", "--out", "x.pdf"], "--framework must be one of"],
      [["--framework", "aws-fsbp", "--format", "docx", "--out", "x"], '--format must be one of pdf, csv, json, oscal, not "docx"'],
      [["--framework", "aws-fsbp", "--format", "pdf"], "--out FILE is required"],
      [["--framework", "aws-fsbp", "--format", "pdf", "--out", "x", "--account", "12"], '--account must be a 12-digit AWS account id, not "12"'],
    ] as const) {
      const result = await portwatch(["export", ...args], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    }
  });

  it("writes a PDF and its manifest that verify, and a changed byte that does not", { timeout: 120_000 }, async () => {
    expect((await portwatch(["collect", "--config", path.join(dir, "demo.json")], env)).code).toBe(0);
    const out = path.join(dir, "fsbp.pdf");
    const made = await portwatch(["export", "--framework", "aws-fsbp", "--format", "pdf", "--out", out], env);
    expect(made.stderr).not.toMatch(/portwatch:/);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Export #1 of this installation's chain; file SHA-256 [0-9a-f]{64}/);
    const { stdout: text } = await run("pdftotext", [out, "-"]);
    expect(text.replace(/\s+/g, " ")).toContain("AWS Foundational Security Best Practices");
    const manifest = JSON.parse(await readFile(`${out}.manifest.json`, "utf8")) as { sequence: number; format: string };
    expect(manifest).toMatchObject({ sequence: 1, format: "pdf" });

    const verified = await portwatch(["verify", out], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("✓ File intact");

    const changed = Buffer.from(await readFile(out));
    changed[changed.length >> 1] ^= 0x20;
    await writeFile(`${out}.changed.pdf`, changed);
    const refused = await portwatch(["verify", `${out}.changed.pdf`, "--manifest", `${out}.manifest.json`], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("the file was changed after export");
  });

  it("writes OSCAL Assessment Results that validate against NIST's schema, for one account", { timeout: 60_000 }, async () => {
    const account = demo.organization.accounts[0].id;
    const out = path.join(dir, "fsbp.oscal.json");
    const made = await portwatch(["export", "--framework", "aws-fsbp", "--format", "oscal", "--out", out, "--account", account], env);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("Export #2 of this installation's chain");
    const schema = JSON.parse(await readFile(path.join(ROOT, "spec", "oscal", "oscal_assessment-results_schema.json"), "utf8")) as object;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const document = JSON.parse(await readFile(out, "utf8")) as unknown;
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
