import type { CheckResult, CheckStatus, Evidence, ReadErrors } from "../types";

function result(status: CheckStatus) {
  return (reason: string, evidence: Evidence = {}): CheckResult => ({ status, reason, evidence });
}

export const pass = result("PASS");
export const fail = result("FAIL");
export const manual = result("MANUAL");
export const inherited = result("INHERITED");
export const notApplicable = result("NOT_APPLICABLE");

/**
 * ERROR when any of `operations` failed while collecting: the data the check needs is unknown,
 * so it is neither PASS nor FAIL. The reason names the call and AWS's error.
 */
export function unreadable(readErrors: ReadErrors, operations: readonly string[], evidence: Evidence = {}): CheckResult | null {
  for (const operation of operations) {
    const failure = readErrors[operation];
    if (failure) {
      return {
        status: "ERROR",
        reason: `${failure.service}:${failure.operation} failed with ${failure.errorName}: ${failure.message}`,
        evidence: { ...evidence, readError: failure },
      };
    }
  }
  return null;
}

export const error = result("ERROR");

const GIB = 1024 ** 3;

/** "1.42 GiB" */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

/** "$1.23/month" */
export function usdPerMonth(usd: number): string {
  return `$${usd.toFixed(2)}/month`;
}
