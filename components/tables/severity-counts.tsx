import { bySeverity } from "@/lib/severity";

/** An image's finding counts per severity, most severe first ("C 2 H 5"); zero counts are left out. */
export function SeverityCounts({ counts }: { counts: Record<string, number> | null }) {
  if (!counts) return null;
  const entries = bySeverity(counts);
  if (entries.length === 0) return <span className="muted">no findings</span>;
  return (
    <span className="severity-counts">
      {entries.map(([severity, n]) => (
        <span key={severity} className={`severity severity-${severity.toLowerCase()}`}>
          <abbr title={severity}>{severity.slice(0, 1)}</abbr> {n}
        </span>
      ))}
    </span>
  );
}

export function SeverityLabel({ severity }: { severity: string }) {
  return <span className={`severity severity-${severity.toLowerCase()}`}>{severity}</span>;
}
