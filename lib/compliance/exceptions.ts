import type { ControlResult } from "./types";

/** An accepted FAIL (ComplianceException), as the evaluator needs it. */
export interface ExceptionRule {
  id: string;
  framework: string;
  control: string;
  /** null = any account / region. */
  accountId: string | null;
  region: string | null;
  /** "*" for every resource in scope; `*` matches any run of characters; without `*` the resource id or repository name must be equal. */
  resourcePattern: string;
  reason: string;
  owner: string;
  createdBy: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export const MAX_EXCEPTION_DAYS = 366;

/** Active at `now`: not revoked and not yet expired. */
export function isActive(exception: Pick<ExceptionRule, "expiresAt" | "revokedAt">, now: Date): boolean {
  return exception.revokedAt === null && exception.expiresAt.getTime() > now.getTime();
}

function compile(pattern: string): (value: string) => boolean {
  if (pattern === "*") return () => true;
  if (!pattern.includes("*")) return (value) => value === pattern;
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (value) => re.test(value);
}

/** The repository name in a repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>). */
function repositoryName(resource: string): string | null {
  const at = resource.indexOf(":repository/");
  return at < 0 ? null : resource.slice(at + ":repository/".length);
}

/**
 * Matches FAIL results against the active exceptions of a control. Built once per evaluation;
 * the exceptions of one (framework, control) are few, so a linear scan per FAIL is cheap.
 */
export class ExceptionMatcher {
  private readonly byControl = new Map<string, { rule: ExceptionRule; matches: (value: string) => boolean }[]>();

  constructor(exceptions: readonly ExceptionRule[], now: Date) {
    for (const rule of exceptions) {
      if (!isActive(rule, now)) continue;
      const key = `${rule.framework}\u0000${rule.control}`;
      const list = this.byControl.get(key) ?? [];
      list.push({ rule, matches: compile(rule.resourcePattern) });
      this.byControl.set(key, list);
    }
  }

  find(result: Pick<ControlResult, "framework" | "control" | "accountId" | "region" | "resource">): ExceptionRule | null {
    const list = this.byControl.get(`${result.framework}\u0000${result.control}`);
    if (!list) return null;
    const name = repositoryName(result.resource);
    for (const { rule, matches } of list) {
      if (rule.accountId !== null && rule.accountId !== result.accountId) continue;
      if (rule.region !== null && rule.region !== result.region) continue;
      if (matches(result.resource) || (name !== null && matches(name))) return rule;
    }
    return null;
  }
}
