import type { ReadError } from "@/lib/db/repositories";

/** Pretty-printed JSON when it parses, the text as stored otherwise. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * A policy document, or why there is none: a failed read is not "none configured" (an
 * AccessDenied must never look like a clean answer).
 */
export function PolicyBlock({ label, text, error }: { label: string; text: string | null; error: ReadError | undefined }) {
  if (error) {
    return (
      <p className="text-danger">
        Could not be read: <span className="mono">{error.errorName}</span>: {error.message}
      </p>
    );
  }
  if (text === null) return <p className="muted">None configured</p>;
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {pretty(text)}
    </pre>
  );
}

export function ReadFailure({ error }: { error: ReadError }) {
  return (
    <span className="text-danger">
      could not be read: <span className="mono">{error.errorName}</span>: {error.message}
    </span>
  );
}
