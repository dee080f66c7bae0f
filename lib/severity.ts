/** Finding severities as ECR and Inspector name them, most severe first. Pure: pages, SQL and tests share it. */
export const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;

/** 0 for CRITICAL; an unknown severity after every known one. */
export function severityRank(severity: string): number {
  const index = (SEVERITY_ORDER as readonly string[]).indexOf(severity);
  return index < 0 ? SEVERITY_ORDER.length : index;
}

/** Severity -> count as entries, most severe first, zero counts left out. */
export function bySeverity(counts: Record<string, number> | null | undefined): [string, number][] {
  return Object.entries(counts ?? {})
    .filter(([, n]) => typeof n === "number" && n > 0)
    .sort(([a], [b]) => severityRank(a) - severityRank(b));
}
