import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideAudit } from "@/scripts/audit-deps.mjs";
import { ROOT } from "@/test/cli";

// scripts/audit-deps.mjs decides from what `npm audit --omit=dev --json` printed. The shapes
// below are npm 11's: a clean report, a report with a critical and a high advisory (one package
// vulnerable only through another), the registry proxy's 405 (recorded on this machine), and an
// offline registry.

const CLEAN = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 },
    dependencies: { prod: 212, dev: 431, optional: 38, peer: 0, peerOptional: 0, total: 680 },
  },
});

const LOW_ONLY = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    cookie: {
      name: "cookie", severity: "low", isDirect: false,
      via: [{ source: 1103907, name: "cookie", dependency: "cookie", title: "cookie accepts cookie name, path, and domain with out of bounds characters", url: "https://github.com/advisories/GHSA-pxg6-pf52-xh8x", severity: "low", cwe: ["CWE-74"], cvss: { score: 0, vectorString: null }, range: "<0.7.0" }],
      effects: [], range: "<0.7.0", nodes: ["node_modules/cookie"], fixAvailable: true,
    },
  },
  metadata: { vulnerabilities: { info: 0, low: 1, moderate: 0, high: 0, critical: 0, total: 1 }, dependencies: { prod: 212, dev: 431, optional: 38, peer: 0, peerOptional: 0, total: 680 } },
});

const WITH_HIGH = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    next: {
      name: "next", severity: "critical", isDirect: true,
      via: [
        { source: 1104022, name: "next", dependency: "next", title: "Authorization Bypass in Next.js Middleware", url: "https://github.com/advisories/GHSA-f82v-jwr5-mffw", severity: "critical", cwe: ["CWE-285"], cvss: { score: 9.1, vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N" }, range: ">=15.0.0 <15.2.3" },
        { source: 1101345, name: "next", dependency: "next", title: "Next.js Race Condition to Cache Poisoning", url: "https://github.com/advisories/GHSA-qpjv-v59x-3qc4", severity: "low", cwe: ["CWE-362"], cvss: { score: 3.7, vectorString: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N" }, range: "<14.2.24" },
      ],
      effects: [], range: "15.0.0 - 15.2.2", nodes: ["node_modules/next"], fixAvailable: { name: "next", version: "15.2.3", isSemVerMajor: false },
    },
    "cross-spawn": {
      name: "cross-spawn", severity: "high", isDirect: false,
      via: [{ source: 1100563, name: "cross-spawn", dependency: "cross-spawn", title: "Regular Expression Denial of Service (ReDoS) in cross-spawn", url: "https://github.com/advisories/GHSA-3xgq-45jj-v275", severity: "high", cwe: ["CWE-1333"], cvss: { score: 7.5, vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" }, range: ">=7.0.0 <7.0.5" }],
      effects: ["execa"], range: "7.0.0 - 7.0.4", nodes: ["node_modules/cross-spawn"], fixAvailable: true,
    },
    execa: { name: "execa", severity: "high", isDirect: true, via: ["cross-spawn"], effects: [], range: "2.0.0 - 5.1.1", nodes: ["node_modules/execa"], fixAvailable: false },
  },
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 2, critical: 1, total: 3 }, dependencies: { prod: 212, dev: 431, optional: 38, peer: 0, peerOptional: 0, total: 680 } },
});

const REFUSED_405 = JSON.stringify({
  message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  method: "POST",
  uri: "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
  headers: { allow: ["GET,HEAD"], "content-length": ["0"], "x-fetch-attempts": ["1"] },
  statusCode: 405,
  body: "",
  error: { summary: "", detail: "" },
});
const REFUSED_405_STDERR = "npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\nnpm error audit endpoint returned an error\n";

const OFFLINE = JSON.stringify({
  error: { code: "ENOTFOUND", summary: "request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org", detail: "" },
});

describe("decideAudit", () => {
  it("passes a clean report and one with only low advisories", () => {
    expect(decideAudit({ stdout: CLEAN }, { required: true })).toEqual({
      exitCode: 0,
      audited: true,
      lines: ["Dependency audit: no high or critical advisory in production dependencies (0 moderate, 0 low, 0 info)."],
    });
    expect(decideAudit({ stdout: LOW_ONLY }, { required: true })).toMatchObject({ exitCode: 0, audited: true });
  });

  it("fails on high and critical advisories, listing each with its package, severity, title, url and fix", () => {
    const decision = decideAudit({ stdout: WITH_HIGH }, { required: false });
    expect(decision.exitCode).toBe(1);
    expect(decision.lines).toEqual([
      "Dependency audit: 2 high or critical advisories in production dependencies:",
      "  - next (critical): Authorization Bypass in Next.js Middleware https://github.com/advisories/GHSA-f82v-jwr5-mffw — fix available: yes: next@15.2.3",
      "  - cross-spawn (high): Regular Expression Denial of Service (ReDoS) in cross-spawn https://github.com/advisories/GHSA-3xgq-45jj-v275 — fix available: yes",
      "Upgrade or replace these packages (npm audit fix --omit=dev shows what it would change).",
    ]);
  });

  it("says the audit was not done when the registry refuses it (405), and passes unless it is required", () => {
    const lenient = decideAudit({ stdout: REFUSED_405, stderr: REFUSED_405_STDERR }, { required: false });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.audited).toBe(false);
    expect(lenient.lines[0]).toBe(
      "Dependency audit NOT done: the registry's audit endpoint answered: 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk.",
    );
    expect(lenient.lines).toContain("No production dependency was checked for advisories.");
    expect(decideAudit({ stdout: REFUSED_405, stderr: REFUSED_405_STDERR }, { required: true })).toMatchObject({ exitCode: 2, lines: expect.arrayContaining(["PORTWATCH_AUDIT_REQUIRED=1: failing."]) });
  });

  it("names an offline registry, output that is not JSON, and npm missing", () => {
    expect(decideAudit({ stdout: OFFLINE }, { required: true })).toMatchObject({ exitCode: 2, lines: expect.arrayContaining([expect.stringContaining("npm audit failed: ENOTFOUND: request to https://registry.npmjs.org")]) });
    expect(decideAudit({ stdout: "", stderr: "npm error code EAUDITNOLOCK\n" }, { required: false })).toMatchObject({ exitCode: 0, audited: false, lines: expect.arrayContaining([expect.stringContaining("npm audit printed no JSON report (npm error code EAUDITNOLOCK)")]) });
    expect(decideAudit({ stdout: "", spawnError: "npm is not on PATH" }, { required: true }).lines[0]).toBe("Dependency audit NOT done: npm could not be run: npm is not on PATH.");
  });
});

// The script as CI runs it, with an `npm` on PATH that prints a recorded answer.
describe("node scripts/audit-deps.mjs", () => {
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(path.join(os.tmpdir(), "portwatch-audit-"));
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  async function runWith(stdout: string, extraEnv: Record<string, string> = {}) {
    await writeFile(path.join(bin, "answer.json"), stdout);
    await writeFile(path.join(bin, "npm"), `#!/bin/sh\ncat "${path.join(bin, "answer.json")}"\nexit 1\n`);
    await chmod(path.join(bin, "npm"), 0o755);
    return promisify(execFile)(process.execPath, [path.join(ROOT, "scripts", "audit-deps.mjs")], { env: { PATH: `${bin}:${process.env.PATH}`, NODE_ENV: "production", ...extraEnv } }).then(
      ({ stdout: out, stderr }) => ({ code: 0, stdout: out, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  }

  it("exits 1 listing the advisories, 0 on a refused audit, 2 when the audit is required", async () => {
    const high = await runWith(WITH_HIGH);
    expect(high.code).toBe(1);
    expect(high.stderr).toContain("  - cross-spawn (high): Regular Expression Denial of Service (ReDoS) in cross-spawn");
    const refused = await runWith(REFUSED_405);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain("Dependency audit NOT done");
    expect((await runWith(REFUSED_405, { PORTWATCH_AUDIT_REQUIRED: "1" })).code).toBe(2);
    const clean = await runWith(CLEAN, { PORTWATCH_AUDIT_REQUIRED: "1" });
    expect(clean).toMatchObject({ code: 0, stdout: expect.stringContaining("no high or critical advisory") });
  });
});
