import type { ResultStatus, Scope } from "@/lib/compliance/types";

/**
 * The evidence exports' contract (lib/evidence): one document, read from the database for a
 * framework, a scope and an evaluated run (lib/db/evidence-document.ts), written as PDF, CSV,
 * JSON or OSCAL by pure writers, and sealed by a signed manifest (manifest.ts). Dates are ISO
 * strings so the document is plain JSON.
 */

export const EVIDENCE_FORMATS = ["pdf", "csv", "json", "oscal"] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export interface EvidenceScope {
  framework: string;
  /** Empty: every account. */
  accountIds: string[];
  /** Empty: every region. */
  regions: string[];
  /** The collection run whose newest complete evaluation is exported; null: the visible run's. */
  runId: number | null;
}

export interface EvidenceResult {
  resource: string;
  scope: Scope;
  accountId: string | null;
  region: string | null;
  status: ResultStatus;
  reason: string;
  checks: { check: string; status: string }[];
  evidence: Record<string, unknown>;
  exceptionId: string | null;
}

export interface EvidenceException {
  id: string;
  accountId: string | null;
  region: string | null;
  resourcePattern: string;
  reason: string;
  owner: string;
  /** Who accepted the FAIL (the approver). */
  approvedBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface EvidenceAttestation {
  id: string;
  text: string;
  attester: string;
  attestedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  fileName: string | null;
  fileSha256: string | null;
}

export interface EvidenceControl {
  id: string;
  title: string;
  severity: string;
  description: string;
  implementation: string;
  /** Other frameworks' controls this one maps to ("aws-fsbp ECR.1", ...). */
  crosswalk: string[];
  /** Set where the mapping is Portwatch's own (NIST). */
  mappingNote: string | null;
  counts: Record<ResultStatus, number>;
  results: EvidenceResult[];
  exceptions: EvidenceException[];
  attestations: EvidenceAttestation[];
}

export interface EvidenceTarget {
  accountId: string;
  region: string;
  /** done, failed, ... (CollectionTarget.status) */
  status: string;
  finishedAt: string | null;
  errorName: string | null;
  errorOperation: string | null;
  error: string | null;
}

export interface EvidenceCallError {
  accountId: string;
  region: string;
  service: string;
  operation: string;
  resource: string | null;
  errorName: string;
  message: string;
}

export interface EvidenceRun {
  id: number;
  status: string;
  trigger: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface EvidenceDocument {
  framework: { id: string; name: string; version: string };
  scope: { accountIds: string[]; regions: string[] };
  /** When the evaluated collection finished: what the results describe. */
  asOf: string;
  evaluation: { id: number; runId: number; evaluatedAt: string };
  /** The runs the results come from (the evaluated run, and earlier runs whose snapshot rows it still shows). */
  runs: EvidenceRun[];
  generatedBy: { email: string; role: string };
  generatedAt: string;
  portwatchVersion: string;
  summary: {
    /** spec/CONTROLS.md: (PASS + INHERITED + EXCEPTED) / (all - NOT_APPLICABLE - ERROR - MANUAL); null when nothing counts. */
    score: number | null;
    counts: Record<ResultStatus, number>;
    /** Control severity -> status -> results. */
    bySeverity: Record<string, Record<ResultStatus, number>>;
  };
  controls: EvidenceControl[];
  provenance: {
    accounts: { id: string; name: string | null; environment: string | null }[];
    targets: EvidenceTarget[];
    callErrors: EvidenceCallError[];
  };
  /** The framework's note on mappings that are Portwatch's own, when it has one. */
  mappingNote: string | null;
}

/** The signed record that seals one export (manifest.ts). */
export interface EvidenceManifest {
  version: 1;
  exportId: string;
  format: EvidenceFormat;
  fileName: string;
  /** SHA-256 (hex) of the export file's bytes. */
  fileSha256: string;
  fileBytes: number;
  /** SHA-256 (hex) of the source result rows, in a canonical order and encoding: what is printed on every PDF page. */
  contentSha256: string;
  framework: string;
  scope: { accountIds: string[]; regions: string[] };
  runIds: number[];
  evaluationId: number;
  generatedBy: string;
  generatedAt: string;
  /** SHA-256 (hex) of the previous export's manifest (canonical JSON, signature included); null for the first. */
  previousManifestSha256: string | null;
  /** Position in the chain, from 1. */
  sequence: number;
  /** The signing key's id (SHA-256 of its public key, hex, first 16 characters). */
  keyId: string;
  /** Ed25519 signature (base64) over the canonical JSON of every other field. */
  signature: string;
}
