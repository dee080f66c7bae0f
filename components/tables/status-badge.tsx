/** Run and target states as a coloured label; the word is always shown, colour only repeats it. */
const TONES: Record<string, "ok" | "warn" | "danger" | "info" | "muted"> = {
  complete: "ok",
  done: "ok",
  partial: "warn",
  failed: "danger",
  running: "info",
  queued: "muted",
  pending: "muted",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-${TONES[status] ?? "muted"}`}>{status}</span>;
}
