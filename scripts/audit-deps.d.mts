// Types for scripts/audit-deps.mjs, so the TypeScript tests can import its decision functions.

export interface AuditOutput {
  stdout: string;
  stderr?: string;
  /** Set when npm itself could not be run (missing, timed out). */
  spawnError?: string;
}

export interface BlockingAdvisory {
  package: string;
  severity: "high" | "critical";
  title: string;
  url: string;
  /** "yes", "no", or "yes: <name>@<version>[ (semver-major)]". */
  fix: string;
}

export function readAuditOutput(stdout: string, stderr?: string): { ok: true; report: { vulnerabilities: Record<string, unknown> } } | { ok: false; reason: string };
export function blockingAdvisories(report: { vulnerabilities: Record<string, unknown> }): BlockingAdvisory[];
export function decideAudit(output: AuditOutput, options: { required: boolean }): { exitCode: 0 | 1 | 2; audited: boolean; lines: string[] };
