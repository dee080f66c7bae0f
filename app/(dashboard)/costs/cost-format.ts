/** How the Costs page writes changes and periods (money: formatMoney in components/cost/format.ts). */

/** "+12.3%", "-4.0%", "±0.0%"; "n/a" without a base to compare with. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "n/a";
  const percent = Math.round(ratio * 1000) / 10;
  return percent === 0 ? "±0.0%" : `${percent > 0 ? "+" : "-"}${Math.abs(percent).toFixed(1)}%`;
}

/** "Nov 2026" for a month's first day (UTC). */
export function formatMonth(month: string): string {
  return new Date(`${month}T00:00:00Z`).toLocaleString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
}

/** "Nov 1–27" for two days of one month, else "Oct 30 – Nov 2". */
export function formatDays(from: string, to: string): string {
  const f = new Date(`${from}T00:00:00Z`);
  const t = new Date(`${to}T00:00:00Z`);
  const month = (d: Date) => d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  if (from === to) return `${month(f)} ${f.getUTCDate()}`;
  return f.getUTCMonth() === t.getUTCMonth() && f.getUTCFullYear() === t.getUTCFullYear()
    ? `${month(f)} ${f.getUTCDate()}–${t.getUTCDate()}`
    : `${month(f)} ${f.getUTCDate()} – ${month(t)} ${t.getUTCDate()}`;
}
