import "server-only";
import packageJson from "@/package.json";
import { FRAMEWORKS, getFramework } from "@/lib/compliance/frameworks/index";
import { emptyCounts, scoreOf, type StatusCounts } from "@/lib/compliance/score";
import type { ControlDefinition, FrameworkPack } from "@/lib/compliance/types";
import type {
  EvidenceAttestation,
  EvidenceCallError,
  EvidenceControl,
  EvidenceDocument,
  EvidenceException,
  EvidenceResult,
  EvidenceRun,
  EvidenceScope,
  EvidenceTarget,
} from "@/lib/evidence/types";
import { iterateResults, type StoredResult } from "./compliance-results";
import { getPool } from "./pool";
import { getVisibleRunId } from "./snapshot";

/**
 * The evidence document of one framework, scope and evaluated run: what every export format
 * (PDF, CSV, JSON, OSCAL) writes. Results are read in keyset pages, so memory holds the document
 * and one page, never a whole evaluation of every framework.
 */

export interface GetEvidenceDocumentInput {
  scope: EvidenceScope;
  generatedBy: { email: string; role: string };
  /** The generation time (tests pin it); defaults to now. */
  now?: Date;
}

// The version the installed code reports; bundled at build time, so it is read once.
const PORTWATCH_VERSION: string = packageJson.version;

export async function getEvidenceDocument({ scope, generatedBy, now = new Date() }: GetEvidenceDocumentInput): Promise<EvidenceDocument> {
  const framework = getFramework(scope.framework);
  if (!framework) throw new Error(`unknown framework "${scope.framework}" (known: ${FRAMEWORKS.map((f) => f.id).join(", ")})`);

  const runId = scope.runId ?? (await getVisibleRunId());
  if (runId === null) throw new Error("nothing has been collected yet: there is no run to export");
  const evaluation = await getNewestCompleteEvaluation(runId);
  const accountIds = [...new Set(scope.accountIds)].sort();
  const regions = [...new Set(scope.regions)].sort();
  const inScope = scopeFilter(accountIds, regions);

  // One pass over the framework's results (pack order is restored below); the runs the evidence
  // names are gathered on the way, since each result carries the run its snapshot row came from.
  const byControl = new Map<string, EvidenceResult[]>();
  const evidenceRuns = new Set<number>([runId]);
  for await (const row of iterateResults(evaluation.id, { framework: framework.id })) {
    if (!inScope(row)) continue;
    const list = byControl.get(row.control) ?? [];
    list.push(toEvidenceResult(row));
    byControl.set(row.control, list);
    const named = row.evidence?.runId;
    if (typeof named === "number" && Number.isInteger(named)) evidenceRuns.add(named);
  }

  const referencedExceptions = new Set<string>();
  for (const list of byControl.values()) for (const r of list) if (r.exceptionId) referencedExceptions.add(r.exceptionId);
  const [exceptions, attestations, runs, provenance] = await Promise.all([
    listDocumentExceptions(framework.id, evaluation, [...referencedExceptions], accountIds, regions),
    listDocumentAttestations(framework.id, evaluation),
    listRuns([...evidenceRuns]),
    readProvenance(runId, accountIds, regions),
  ]);

  const total = emptyCounts();
  const bySeverity: Record<string, StatusCounts> = {};
  const controls: EvidenceControl[] = framework.controls.map((control) => {
    const results = byControl.get(control.id) ?? [];
    const counts = emptyCounts();
    for (const r of results) counts[r.status] += 1;
    for (const r of results) total[r.status] += 1;
    bySeverity[control.severity] ??= emptyCounts();
    for (const r of results) bySeverity[control.severity][r.status] += 1;
    return {
      id: control.id,
      title: control.title,
      severity: control.severity,
      description: control.description,
      implementation: control.implementation,
      crosswalk: crosswalkOf(control),
      mappingNote: control.mappingNote ?? null,
      counts,
      results,
      exceptions: exceptions.get(control.id) ?? [],
      attestations: attestations.get(control.id) ?? [],
    };
  });

  return {
    framework: { id: framework.id, name: framework.name, version: framework.version },
    scope: { accountIds, regions },
    asOf: evaluation.asOf.toISOString(),
    evaluation: { id: evaluation.id, runId, evaluatedAt: (evaluation.finishedAt ?? evaluation.startedAt).toISOString() },
    runs,
    generatedBy: { email: generatedBy.email, role: generatedBy.role },
    generatedAt: now.toISOString(),
    portwatchVersion: PORTWATCH_VERSION,
    summary: { score: scoreOf(total), counts: total, bySeverity },
    controls,
    provenance,
    mappingNote: frameworkMappingNote(framework),
  };
}

interface EvaluationRow {
  id: number;
  asOf: Date;
  startedAt: Date;
  finishedAt: Date | null;
}

async function getNewestCompleteEvaluation(runId: number): Promise<EvaluationRow> {
  const { rows } = await getPool().query<EvaluationRow>(
    `SELECT "id", "asOf", "startedAt", "finishedAt" FROM "Evaluation" WHERE "runId" = $1 AND "status" = 'complete' ORDER BY "id" DESC LIMIT 1`,
    [runId],
  );
  if (!rows[0]) throw new Error(`run #${runId} has not been evaluated`);
  return rows[0];
}

/**
 * Which results the scope keeps: organization-scope results (attestation items) belong to every
 * scope; an account-scope result has no region, so only the account filter applies to it.
 */
function scopeFilter(accountIds: string[], regions: string[]): (r: Pick<StoredResult, "scope" | "accountId" | "region">) => boolean {
  const accounts = new Set(accountIds);
  const regionSet = new Set(regions);
  return (r) => {
    if (r.scope === "organization") return true;
    if (accounts.size && (r.accountId === null || !accounts.has(r.accountId))) return false;
    if (regionSet.size && r.region !== null && !regionSet.has(r.region)) return false;
    return true;
  };
}

function toEvidenceResult(r: StoredResult): EvidenceResult {
  return {
    resource: r.resource,
    scope: r.scope,
    accountId: r.accountId,
    region: r.region,
    status: r.status,
    reason: r.reason,
    // The check's own reason is already summarised in the result's reason; the contract keeps
    // only each check's verdict.
    checks: r.checks.map((c) => ({ check: c.check, status: c.status })),
    evidence: r.evidence ?? {},
    exceptionId: r.exceptionId,
  };
}

function crosswalkOf(control: ControlDefinition): string[] {
  return (control.crosswalk ?? []).flatMap((c) => c.ids.map((id) => `${c.framework} ${id}`));
}

/**
 * Packs carry mapping notes per control only. The framework's note is the one most of its
 * controls share (NIST: "Portwatch's own mapping ..."), null when no control has one.
 */
function frameworkMappingNote(framework: FrameworkPack): string | null {
  const tally = new Map<string, number>();
  for (const c of framework.controls) if (c.mappingNote) tally.set(c.mappingNote, (tally.get(c.mappingNote) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [note, count] of tally) if (count > bestCount) [best, bestCount] = [note, count];
  return best;
}

/**
 * The exceptions behind the document: those its results name (they made a FAIL EXCEPTED), and
 * those of its controls that were in force for the evaluation (created before it started, not
 * expired or revoked by asOf). A revocation after asOf is shown with its date. approvedBy is the
 * security user who created the exception: creating one is the approval.
 */
async function listDocumentExceptions(framework: string, evaluation: EvaluationRow, referenced: string[], accountIds: string[], regions: string[]): Promise<Map<string, EvidenceException[]>> {
  const { rows } = await getPool().query<{
    id: string;
    control: string;
    accountId: string | null;
    region: string | null;
    resourcePattern: string;
    reason: string;
    owner: string;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
    revokedAt: Date | null;
    revokedBy: string | null;
  }>(
    `SELECT "id", "control", "accountId", "region", "resourcePattern", "reason", "owner", "createdBy", "createdAt", "expiresAt", "revokedAt", "revokedBy"
       FROM "ComplianceException"
      WHERE "framework" = $1
        AND ("id" = ANY($2::text[])
             OR ("createdAt" <= $3 AND "expiresAt" > $4 AND ("revokedAt" IS NULL OR "revokedAt" > $4)
                 AND (cardinality($5::text[]) = 0 OR "accountId" IS NULL OR "accountId" = ANY($5::text[]))
                 AND (cardinality($6::text[]) = 0 OR "region" IS NULL OR "region" = ANY($6::text[]))))
      ORDER BY "control", "createdAt", "id"`,
    [framework, referenced, evaluation.startedAt, evaluation.asOf, accountIds, regions],
  );
  const out = new Map<string, EvidenceException[]>();
  for (const r of rows) {
    const list = out.get(r.control) ?? [];
    list.push({
      id: r.id,
      accountId: r.accountId,
      region: r.region,
      resourcePattern: r.resourcePattern,
      reason: r.reason,
      owner: r.owner,
      approvedBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokedBy: r.revokedBy,
    });
    out.set(r.control, list);
  }
  return out;
}

/** Attestations of the framework's controls in force for the evaluation; the file's name and hash, never its bytes. */
async function listDocumentAttestations(framework: string, evaluation: EvaluationRow): Promise<Map<string, EvidenceAttestation[]>> {
  const { rows } = await getPool().query<{
    id: string;
    control: string;
    text: string;
    attester: string;
    attestedAt: Date;
    expiresAt: Date;
    revokedAt: Date | null;
    fileName: string | null;
    fileSha256: string | null;
  }>(
    `SELECT "id", "control", "text", "attester", "attestedAt", "expiresAt", "revokedAt", "fileName", "fileSha256"
       FROM "Attestation"
      WHERE "framework" = $1 AND "attestedAt" <= $2 AND "expiresAt" > $3 AND ("revokedAt" IS NULL OR "revokedAt" > $3)
      ORDER BY "control", "attestedAt", "id"`,
    [framework, evaluation.finishedAt ?? evaluation.startedAt, evaluation.asOf],
  );
  const out = new Map<string, EvidenceAttestation[]>();
  for (const r of rows) {
    const list = out.get(r.control) ?? [];
    list.push({
      id: r.id,
      text: r.text,
      attester: r.attester,
      attestedAt: r.attestedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      fileName: r.fileName,
      fileSha256: r.fileSha256,
    });
    out.set(r.control, list);
  }
  return out;
}

async function listRuns(ids: number[]): Promise<EvidenceRun[]> {
  const { rows } = await getPool().query<{ id: number; status: string; trigger: string; startedAt: Date | null; finishedAt: Date | null }>(
    `SELECT "id", "status"::text AS "status", "trigger"::text AS "trigger", "startedAt", "finishedAt" FROM "CollectionRun" WHERE "id" = ANY($1::int[]) ORDER BY "id"`,
    [ids],
  );
  return rows.map((r) => ({ id: r.id, status: r.status, trigger: r.trigger, startedAt: r.startedAt?.toISOString() ?? null, finishedAt: r.finishedAt?.toISOString() ?? null }));
}

/**
 * Where the evidence came from: the accounts in scope (every account the run targeted when the
 * scope names none), each target of the run with how it ended, and every AWS call that failed
 * for good. The Cost Explorer target (region "global") is kept under any region filter, since the
 * account-scope COST-04 results come from it.
 */
async function readProvenance(runId: number, accountIds: string[], regions: string[]): Promise<EvidenceDocument["provenance"]> {
  const pool = getPool();
  const targetScope = `(cardinality($2::text[]) = 0 OR "accountId" = ANY($2::text[])) AND (cardinality($3::text[]) = 0 OR "region" = 'global' OR "region" = ANY($3::text[]))`;
  const [accounts, targets, callErrors] = await Promise.all([
    pool.query<{ id: string; name: string | null; environment: string | null }>(
      `SELECT "id", "name", "environment" FROM "AwsAccount"
        WHERE CASE WHEN cardinality($2::text[]) = 0 THEN "id" IN (SELECT "accountId" FROM "CollectionTarget" WHERE "runId" = $1) ELSE "id" = ANY($2::text[]) END
        ORDER BY "id"`,
      [runId, accountIds],
    ),
    pool.query<{ accountId: string; region: string; status: string; finishedAt: Date | null; errorName: string | null; errorOperation: string | null; error: string | null }>(
      `SELECT "accountId", "region", "status"::text AS "status", "finishedAt", "errorName", "errorOperation", "error"
         FROM "CollectionTarget" WHERE "runId" = $1 AND ${targetScope} ORDER BY "accountId", "region"`,
      [runId, accountIds, regions],
    ),
    pool.query<EvidenceCallError>(
      `SELECT "accountId", "region", "service", "operation", "resource", "errorName", "message"
         FROM "CollectionError" WHERE "runId" = $1 AND ${targetScope} ORDER BY "accountId", "region", "id"`,
      [runId, accountIds, regions],
    ),
  ]);
  return {
    accounts: accounts.rows,
    targets: targets.rows.map((t): EvidenceTarget => ({ ...t, finishedAt: t.finishedAt?.toISOString() ?? null })),
    callErrors: callErrors.rows,
  };
}
