/**
 * Money and storage as the cost pages print them. Pure and deterministic (fixed locale), so a
 * server render and any client re-render agree.
 */

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "$1,234.56"; an amount that rounds to zero cents but is not zero reads "<$0.01" rather than a misleading "$0.00". */
export function formatMoney(usd: number | null | undefined, fallback = "—"): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return fallback;
  if (usd !== 0 && Math.abs(usd) < 0.005) return usd > 0 ? "<$0.01" : "-<$0.01";
  return USD.format(usd);
}

/** "12.3%"; "<0.1%" for a small non-zero share; `fallback` when the whole is zero or unknown. */
export function formatShare(part: number, whole: number | null, fallback = "—"): string {
  if (whole === null || !(whole > 0)) return fallback;
  const share = (part / whole) * 100;
  if (share > 0 && share < 0.1) return "<0.1%";
  return `${share.toFixed(1)}%`;
}

const GIB = 1024 ** 3;

/** "3.10 GiB": cost tables compare repositories in one unit, the unit ECR bills in. */
export function formatGib(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  return `${(bytes / GIB).toFixed(bytes > 0 && bytes < GIB / 100 ? 4 : 2)} GiB`;
}
