import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";
import type { EvidenceDocument } from "./types";

/**
 * The digest of what an export says, independent of its format: a PDF, a CSV and an OSCAL file
 * of the same evaluation and scope print the same value, so an auditor can tie a printed page to
 * the rows it came from. SHA-256 (hex) over UTF-8 lines:
 *
 *   line 1:  {"evaluationId":…,"framework":…,"runIds":[…ascending],"v":1}
 *   then one line per result, ordered by (framework, control, resource) in code-unit order
 *   (not locale order, which differs between machines): the canonical JSON of
 *   {framework, control, resource, scope, accountId, region, status, reason, checks, evidence, exceptionId}
 *
 * each line ending in "\n". Everything a reader could dispute about a result is in its line;
 * titles, counts and provenance are derived or descriptive and are sealed by the file's own hash.
 */
export function contentSha256(doc: EvidenceDocument): string {
  const hash = createHash("sha256");
  const framework = doc.framework.id;
  const runIds = doc.runs.map((r) => r.id).sort((a, b) => a - b);
  hash.update(`${canonicalJson({ v: 1, framework, evaluationId: doc.evaluation.id, runIds })}\n`);

  const rows = doc.controls.flatMap((control) => control.results.map((result) => ({ control: control.id, result })));
  rows.sort((a, b) => compare(a.control, b.control) || compare(a.result.resource, b.result.resource));
  for (const { control, result: r } of rows) {
    const line = {
      framework,
      control,
      resource: r.resource,
      scope: r.scope,
      accountId: r.accountId,
      region: r.region,
      status: r.status,
      reason: r.reason,
      checks: r.checks.map((c) => ({ check: c.check, status: c.status })),
      evidence: r.evidence,
      exceptionId: r.exceptionId,
    };
    hash.update(`${canonicalJson(line)}\n`);
  }
  return hash.digest("hex");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
