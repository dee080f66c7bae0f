import { scoreOf } from "@/lib/compliance/score";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import type { EvidenceControl, EvidenceDocument, EvidenceResult } from "./types";

/**
 * A synthetic evidence document for the writers' tests and benchmarks: `controls` controls with
 * `resultsPerControl` repository results each, statuses cycling through every status, one failing
 * resource with a known reason, an exception, an attestation and a failed target.
 */

export const KNOWN_FAILING_RESOURCE = "arn:aws:ecr:us-east-1:111122223333:repository/payments/api";
export const KNOWN_FAILING_REASON = "imageTagMutability is MUTABLE: tags can be overwritten";

const zero = (): Record<ResultStatus, number> => Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;

export function sampleEvidenceDocument({ controls = 6, resultsPerControl = 5 }: { controls?: number; resultsPerControl?: number } = {}): EvidenceDocument {
  const severities = ["critical", "high", "medium", "low"];
  const list: EvidenceControl[] = Array.from({ length: controls }, (_, c) => {
    const id = `ECR.${c + 1}`;
    const results: EvidenceResult[] = Array.from({ length: resultsPerControl }, (_, r) => {
      const status = c === 0 && r === 0 ? "FAIL" : RESULT_STATUSES[(c + r) % RESULT_STATUSES.length];
      const resource = c === 0 && r === 0 ? KNOWN_FAILING_RESOURCE : `arn:aws:ecr:us-east-1:111122223333:repository/team-${c}/service-${r}`;
      return {
        resource,
        scope: "repository",
        accountId: "111122223333",
        region: "us-east-1",
        status,
        reason: c === 0 && r === 0 ? KNOWN_FAILING_REASON : `${status}: observed value ${r} for ${id} on service-${r} ✓ ✗ — evidence follows`,
        checks: [{ check: "tag-immutability", status }],
        evidence: { imageTagMutability: r % 2 ? "IMMUTABLE" : "MUTABLE", run: 7 },
        exceptionId: status === "EXCEPTED" ? "exc-1" : null,
      };
    });
    const counts = zero();
    for (const r of results) counts[r.status] += 1;
    return {
      id,
      title: `Control ${id}: repositories are configured as required`,
      severity: severities[c % severities.length],
      description: `What ${id} asks for, in the catalogue's words.`,
      implementation: `How ${id} is implemented in ECR.`,
      crosswalk: ["csa-ccm-v5 IVS-04", "nist-800-53-r5 CM-6"],
      mappingNote: c === 1 ? "This mapping is Portwatch's own." : null,
      counts,
      results,
      exceptions: c === 0 ? [{ id: "exc-1", accountId: "111122223333", region: null, resourcePattern: "team-0/*", reason: "Legacy images, retired in Q1", owner: "platform@example.com", approvedBy: "security@example.com", createdAt: "2026-11-01T10:00:00.000Z", expiresAt: "2027-02-01T00:00:00.000Z", revokedAt: null, revokedBy: null }] : [],
      attestations: c === 2 ? [{ id: "att-1", text: "Admission control runs in every cluster.", attester: "security@example.com", attestedAt: "2026-11-02T10:00:00.000Z", expiresAt: "2027-11-02T00:00:00.000Z", revokedAt: null, fileName: "admission.pdf", fileSha256: "ab".repeat(32) }] : [],
    };
  });
  const counts = zero();
  for (const c of list) for (const s of RESULT_STATUSES) counts[s] += c.counts[s];
  const bySeverity: Record<string, Record<ResultStatus, number>> = {};
  for (const c of list) {
    bySeverity[c.severity] ??= zero();
    for (const s of RESULT_STATUSES) bySeverity[c.severity][s] += c.counts[s];
  }
  return {
    framework: { id: "aws-fsbp", name: "AWS Foundational Security Best Practices", version: "1.0.0" },
    scope: { accountIds: ["111122223333"], regions: [] },
    asOf: "2026-11-28T06:00:00.000Z",
    evaluation: { id: 12, runId: 7, evaluatedAt: "2026-11-28T06:01:00.000Z" },
    runs: [{ id: 7, status: "partial", trigger: "schedule", startedAt: "2026-11-28T05:59:00.000Z", finishedAt: "2026-11-28T06:00:00.000Z" }],
    generatedBy: { email: "auditor@example.com", role: "auditor" },
    generatedAt: "2026-11-28T09:00:00.000Z",
    portwatchVersion: "0.1.0",
    summary: { score: scoreOf(counts), counts, bySeverity },
    controls: list,
    provenance: {
      accounts: [{ id: "111122223333", name: "payments-prod", environment: "prod" }],
      targets: [
        { accountId: "111122223333", region: "us-east-1", status: "done", finishedAt: "2026-11-28T06:00:00.000Z", errorName: null, errorOperation: null, error: null },
        { accountId: "111122223333", region: "eu-west-1", status: "failed", finishedAt: "2026-11-28T06:00:00.000Z", errorName: "AccessDeniedException", errorOperation: "ecr:DescribeRepositories", error: "User is not authorized to perform ecr:DescribeRepositories" },
      ],
      callErrors: [{ accountId: "111122223333", region: "eu-west-1", service: "ecr", operation: "DescribeRepositories", resource: null, errorName: "AccessDeniedException", message: "User is not authorized to perform ecr:DescribeRepositories" }],
    },
    mappingNote: null,
  };
}
