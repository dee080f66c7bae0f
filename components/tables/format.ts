/**
 * Display formats shared by the tables. Pure and deterministic (UTC, fixed locale), so a
 * server-rendered cell and its client re-render print the same text.
 */

const toDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

/** "2026-03-01 10:04 UTC"; `fallback` for a missing date. */
export function formatDateTime(value: Date | string | null | undefined, fallback = "—"): string {
  if (!value) return fallback;
  return `${toDate(value).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDate(value: Date | string | null | undefined, fallback = "—"): string {
  if (!value) return fallback;
  return toDate(value).toISOString().slice(0, 10);
}

/** "850 ms", "4.2 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The time between two instants, or "—" when either is missing. */
export function durationBetween(start: Date | string | null | undefined, end: Date | string | null | undefined): string {
  if (!start || !end) return "—";
  return formatDuration(toDate(end).getTime() - toDate(start).getTime());
}

const KIB = 1024;
const MIB = KIB * 1024;
const GIB = MIB * 1024;
const TIB = GIB * 1024;

/** Binary units, as ECR and the AWS console count image sizes: "12.4 MiB", "3.10 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes === 0) return "0 B";
  if (bytes < MIB) return `${(bytes / MIB).toFixed(2)} MiB`;
  if (bytes < GIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  if (bytes < TIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  return `${(bytes / TIB).toFixed(2)} TiB`;
}

const COUNT = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return COUNT.format(value);
}


/** "sha256:0123456789ab" from a full image digest. */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(":") ? digest.split(":", 2) : ["", digest];
  return algorithm ? `${algorithm}:${hex.slice(0, 12)}` : hex.slice(0, 12);
}
