import type { EvidenceDocument } from "./types";

/**
 * The evidence JSON: the document itself with object keys sorted at every depth, so the same
 * document always gives the same bytes (the manifest's file hash is reproducible) whatever order
 * the reader or the evidence's producers built its objects in. Array order is kept: it carries
 * meaning (the pack's control order, results by resource).
 */
export function evidenceJson(doc: EvidenceDocument): string {
  return `${JSON.stringify(sortKeys(doc), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  // A Date (or anything with toJSON) is written as JSON.stringify would write it.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return (value as { toJSON: () => unknown }).toJSON();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
