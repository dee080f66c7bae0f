import type { CheckOutcome } from "@/lib/compliance/types";
import { StatusBadge } from "./status-badge";

/** A result's check outcomes and raw evidence, folded away until asked for (no script needed). */
export function EvidenceDetails({ label, checks, evidence }: { label: string; checks: CheckOutcome[]; evidence: Record<string, unknown> }) {
  return (
    <details>
      <summary>
        Evidence<span className="sr-only"> for {label}</span>
      </summary>
      {checks.length ? (
        <ul className="small">
          {checks.map((c, i) => (
            <li key={`${c.check}-${i}`}>
              <code>{c.check}</code> <StatusBadge status={c.status} /> {c.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <pre className="json">
        <code>{JSON.stringify(evidence, null, 2)}</code>
      </pre>
    </details>
  );
}
