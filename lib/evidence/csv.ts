import { toCsv } from "@/lib/csv";
import type { EvidenceDocument, EvidenceException } from "./types";

/**
 * The evidence CSV: one row per result, header first, nothing else. What the export covers
 * (scope, as-of, runs, who generated it) lives in the signed manifest beside the file, so the
 * table stays loadable by any spreadsheet or `csv` parser without a preamble to skip.
 */

export const EVIDENCE_CSV_HEADER = [
  "framework",
  "control",
  "title",
  "severity",
  "resource",
  "scope",
  "account",
  "region",
  "status",
  "reason",
  "checks",
  "evidence",
  "exception_id",
  "exception_reason",
  "exception_owner",
  "exception_approver",
  "exception_expires",
] as const;

export function evidenceCsv(doc: EvidenceDocument): string {
  const rows: string[][] = [];
  for (const control of doc.controls) {
    const exceptions = new Map<string, EvidenceException>(control.exceptions.map((e) => [e.id, e]));
    for (const r of control.results) {
      // Exception columns are filled only where the exception turned this FAIL into EXCEPTED:
      // an exception listed on the control but not applied to the row says nothing about it.
      const exception = r.status === "EXCEPTED" && r.exceptionId ? exceptions.get(r.exceptionId) : undefined;
      rows.push([
        doc.framework.id,
        control.id,
        control.title,
        control.severity,
        r.resource,
        r.scope,
        r.accountId ?? "",
        r.region ?? "",
        r.status,
        r.reason,
        // "check=STATUS; ..." reads in a spreadsheet cell; the full structure is in the JSON export.
        r.checks.map((c) => `${c.check}=${c.status}`).join("; "),
        JSON.stringify(r.evidence),
        r.status === "EXCEPTED" ? (r.exceptionId ?? "") : "",
        exception?.reason ?? "",
        exception?.owner ?? "",
        exception?.approvedBy ?? "",
        exception?.expiresAt ?? "",
      ]);
    }
  }
  return toCsv(EVIDENCE_CSV_HEADER, rows);
}
