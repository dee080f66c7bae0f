#!/usr/bin/env node
// CI's dependency check (issue 8, part 5): `npm audit --omit=dev --json`, failing on any high or
// critical advisory in what Portwatch ships. A registry that cannot answer the audit (offline, or
// a proxy that refuses POST /-/npm/v1/security/advisories/bulk with 405) is not a pass: it is
// said plainly, and fails the run only when PORTWATCH_AUDIT_REQUIRED=1, because a CI machine
// without the audit endpoint would otherwise never go green.
//
// Exit status: 0 no high or critical advisory (or the audit could not be done and is not
// required), 1 high or critical advisories (each listed), 2 the audit could not be done and
// PORTWATCH_AUDIT_REQUIRED=1.
//
// PORTWATCH_AUDIT_REQUIRED is read here, by this script only: it is a CI setting, not one of the
// app's (lib/env.ts), so the app never sees it.

import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";

const BLOCKING = new Set(["high", "critical"]);

/**
 * Reads what `npm audit --json` printed. npm prints a report (`vulnerabilities`, `metadata`) when
 * the audit ran, and an error object (`message`/`statusCode`, or `error.code`/`error.summary`)
 * when the registry could not be asked or refused.
 * @param {string} stdout
 * @param {string} [stderr]
 * @returns {{ ok: true, report: { vulnerabilities: Record<string, any> } } | { ok: false, reason: string }}
 */
export function readAuditOutput(stdout, stderr = "") {
  let json;
  try {
    json = JSON.parse(stdout);
  } catch {
    const line = firstErrorLine(stderr);
    return { ok: false, reason: `npm audit printed no JSON report${line ? ` (${line})` : ""}` };
  }
  if (json && typeof json === "object" && json.vulnerabilities && typeof json.vulnerabilities === "object" && !Array.isArray(json.vulnerabilities)) {
    return { ok: true, report: json };
  }
  if (json && typeof json === "object") {
    if (typeof json.message === "string" && json.message) return { ok: false, reason: `the registry's audit endpoint answered: ${json.message}` };
    const error = json.error && typeof json.error === "object" ? json.error : null;
    const detail = error ? [error.code, error.summary, error.detail].filter((x) => typeof x === "string" && x).join(": ") : "";
    if (detail) return { ok: false, reason: `npm audit failed: ${detail}` };
  }
  const line = firstErrorLine(stderr);
  return { ok: false, reason: `npm audit gave no vulnerability report${line ? ` (${line})` : ""}` };
}

function firstErrorLine(stderr) {
  return (
    String(stderr)
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /^npm (error|ERR!|warn)/.test(l)) ?? ""
  );
}

/** "yes", "no", or "yes: next@15.2.3 (semver-major)" from a package's `fixAvailable`. */
function describeFix(fix) {
  if (fix === true) return "yes";
  if (!fix) return "no";
  if (typeof fix === "object" && fix.name) return `yes: ${fix.name}@${fix.version}${fix.isSemVerMajor ? " (semver-major)" : ""}`;
  return "unknown";
}

/**
 * The high and critical advisories of a report, one per (package, advisory). A package that is
 * vulnerable only through another (a string in `via`) adds no line of its own, since the
 * advisory is listed under the package it is in; one whose advisory npm did not give is listed
 * with what it depends on.
 * @param {{ vulnerabilities: Record<string, any> }} report
 */
export function blockingAdvisories(report) {
  const found = [];
  const seen = new Set();
  const blockingPackages = Object.entries(report.vulnerabilities).filter(([, v]) => BLOCKING.has(v?.severity));
  for (const [name, vuln] of blockingPackages) {
    const via = Array.isArray(vuln.via) ? vuln.via : [];
    const objects = via.filter((x) => x && typeof x === "object" && BLOCKING.has(x.severity));
    for (const advisory of objects) {
      const pkg = advisory.name || name;
      const key = `${pkg}|${advisory.url || advisory.source || advisory.title}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ package: pkg, severity: advisory.severity, title: advisory.title || "(no title)", url: advisory.url || "(no url)", fix: describeFix(vuln.fixAvailable) });
    }
    const throughBlocking = via.some((x) => typeof x === "string" && BLOCKING.has(report.vulnerabilities[x]?.severity));
    if (objects.length === 0 && !throughBlocking) {
      const through = via.map((x) => (typeof x === "string" ? x : x?.name)).filter(Boolean);
      found.push({ package: name, severity: vuln.severity, title: through.length ? `through ${through.join(", ")}` : "(npm gave no advisory)", url: "(no url)", fix: describeFix(vuln.fixAvailable) });
    }
  }
  return found.sort((a, b) => (a.severity === b.severity ? a.package.localeCompare(b.package) : a.severity === "critical" ? -1 : 1));
}

/**
 * What to print and the exit status, from npm's output.
 * @param {{ stdout: string, stderr?: string, spawnError?: string }} output
 * @param {{ required: boolean }} options
 * @returns {{ exitCode: 0 | 1 | 2, audited: boolean, lines: string[] }}
 */
export function decideAudit(output, { required }) {
  const read = output.spawnError ? { ok: false, reason: `npm could not be run: ${output.spawnError}` } : readAuditOutput(output.stdout, output.stderr);
  if (!read.ok) {
    return {
      exitCode: required ? 2 : 0,
      audited: false,
      lines: [
        `Dependency audit NOT done: ${read.reason}.`,
        "No production dependency was checked for advisories.",
        required ? "PORTWATCH_AUDIT_REQUIRED=1: failing." : "Not failing the build (set PORTWATCH_AUDIT_REQUIRED=1 where the audit must run).",
      ],
    };
  }
  const advisories = blockingAdvisories(read.report);
  const counts = read.report.metadata?.vulnerabilities;
  const others = counts ? ["moderate", "low", "info"].map((s) => `${counts[s] ?? 0} ${s}`).join(", ") : "";
  if (advisories.length === 0 && !Object.values(read.report.vulnerabilities).some((v) => BLOCKING.has(v?.severity))) {
    return { exitCode: 0, audited: true, lines: [`Dependency audit: no high or critical advisory in production dependencies${others ? ` (${others})` : ""}.`] };
  }
  return {
    exitCode: 1,
    audited: true,
    lines: [
      `Dependency audit: ${advisories.length} high or critical advisor${advisories.length === 1 ? "y" : "ies"} in production dependencies:`,
      ...advisories.map((a) => `  - ${a.package} (${a.severity}): ${a.title} ${a.url} — fix available: ${a.fix}`),
      "Upgrade or replace these packages (npm audit fix --omit=dev shows what it would change).",
    ],
  };
}

function runNpmAudit() {
  return new Promise((resolve) => {
    // npm exits non-zero when it finds anything and when it fails: the JSON says which.
    execFile("npm", ["audit", "--omit=dev", "--json"], { maxBuffer: 64 * 1024 * 1024, timeout: 180_000 }, (error, stdout, stderr) => {
      const spawnError = error && (error.code === "ENOENT" || error.killed) ? (error.killed ? "timed out after 180 s" : "npm is not on PATH") : undefined;
      resolve({ stdout: String(stdout), stderr: String(stderr), spawnError });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const required = process.env.PORTWATCH_AUDIT_REQUIRED === "1";
  const { exitCode, audited, lines } = decideAudit(await runNpmAudit(), { required });
  // A clean audit on stdout; findings and "not done" on stderr, where CI logs show warnings.
  (exitCode === 0 && audited ? console.log : console.error)(lines.join("\n"));
  process.exitCode = exitCode;
}
