import "server-only";
import { addCounts, emptyCounts, type StatusCounts } from "@/lib/compliance/score";
import type { CheckOutcome, ResultStatus, Scope } from "@/lib/compliance/types";
import { getPool } from "./pool";
import { getVisibleRunId } from "./snapshot";

/**
 * Reads of stored compliance results. Every read names the evaluation it reads, so a page and
 * its counts never mix two evaluations; pages use the newest complete evaluation of the visible
 * run (or, while that run is being evaluated, the newest one before it, marked as such).
 */

export interface CurrentEvaluation {
  id: number;
  runId: number;
  asOf: Date;
  finishedAt: Date | null;
  reason: string;
  resultCount: number;
  counts: StatusCounts;
  /** The visible run has no complete evaluation yet: these results are from an earlier run. */
  stale: boolean;
  visibleRunId: number | null;
}

export async function getCurrentEvaluation(): Promise<CurrentEvaluation | null> {
  const visibleRunId = await getVisibleRunId();
  const { rows } = await getPool().query<Omit<CurrentEvaluation, "stale" | "visibleRunId">>(
    `SELECT "id", "runId", "asOf", "finishedAt", "reason", "resultCount", "counts" FROM "Evaluation"
      WHERE "status" = 'complete' ORDER BY ("runId" = $1) DESC, "runId" DESC, "id" DESC LIMIT 1`,
    [visibleRunId ?? -1],
  );
  const row = rows[0];
  if (!row) return null;
  return { ...row, counts: { ...emptyCounts(), ...row.counts }, stale: visibleRunId !== null && row.runId !== visibleRunId, visibleRunId };
}

export interface ResultFilter {
  framework?: string;
  control?: string;
  status?: ResultStatus[];
  severity?: string[];
  accountId?: string;
  region?: string;
  resource?: string;
  /** Account environments (prod, dev, ...) from the Accounts page. */
  environment?: string;
}

function whereClause(evaluationId: number, filter: ResultFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [evaluationId];
  const parts = [`c."evaluationId" = $1`];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.framework) add((p) => `c."framework" = ${p}`, filter.framework);
  if (filter.control) add((p) => `c."control" = ${p}`, filter.control);
  if (filter.status?.length) add((p) => `c."status" = ANY(${p}::text[])`, filter.status);
  if (filter.severity?.length) add((p) => `c."severity" = ANY(${p}::text[])`, filter.severity);
  if (filter.accountId) add((p) => `c."accountId" = ${p}`, filter.accountId);
  if (filter.region) add((p) => `c."region" = ${p}`, filter.region);
  if (filter.resource) add((p) => `c."resource" = ${p}`, filter.resource);
  if (filter.environment) add((p) => `EXISTS (SELECT 1 FROM "AwsAccount" a WHERE a."id" = c."accountId" AND a."environment" = ${p})`, filter.environment);
  return { sql: parts.join(" AND "), params };
}

export interface StoredResult {
  framework: string;
  control: string;
  scope: Scope;
  accountId: string | null;
  region: string | null;
  resource: string;
  severity: string;
  status: ResultStatus;
  reason: string;
  checks: CheckOutcome[];
  evidence: Record<string, unknown>;
  exceptionId: string | null;
}

export interface ResultCursor {
  framework: string;
  control: string;
  resource: string;
}

/** One keyset page of results in (framework, control, resource) order. */
export async function listResults(evaluationId: number, filter: ResultFilter, { limit = 200, after }: { limit?: number; after?: ResultCursor } = {}): Promise<StoredResult[]> {
  const { sql, params } = whereClause(evaluationId, filter);
  let keyset = "";
  if (after) {
    params.push(after.framework, after.control, after.resource);
    keyset = ` AND (c."framework", c."control", c."resource") > ($${params.length - 2}, $${params.length - 1}, $${params.length})`;
  }
  params.push(Math.min(Math.max(limit, 1), 10_000));
  const { rows } = await getPool().query<StoredResult>(
    `SELECT c."framework", c."control", c."scope", c."accountId", c."region", c."resource", c."severity", c."status", c."reason", c."checks", c."evidence", c."exceptionId"
       FROM "ComplianceResult" c WHERE ${sql}${keyset}
      ORDER BY c."framework", c."control", c."resource" LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/** Every result matching `filter`, in pages (for the CLI and exports: memory stays one page). */
export async function* iterateResults(evaluationId: number, filter: ResultFilter, pageSize = 5000): AsyncGenerator<StoredResult> {
  let after: ResultCursor | undefined;
  for (;;) {
    const page = await listResults(evaluationId, filter, { limit: pageSize, after });
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { framework: last.framework, control: last.control, resource: last.resource };
  }
}

function countsFrom(row: Record<string, number>): StatusCounts {
  return {
    PASS: row.pass ?? 0,
    FAIL: row.fail ?? 0,
    ERROR: row.error ?? 0,
    MANUAL: row.manual ?? 0,
    INHERITED: row.inherited ?? 0,
    NOT_APPLICABLE: row.notApplicable ?? 0,
    EXCEPTED: row.excepted ?? 0,
  };
}

const COUNT_COLUMNS = `count(*) FILTER (WHERE c."status" = 'PASS')::int AS "pass", count(*) FILTER (WHERE c."status" = 'FAIL')::int AS "fail",
  count(*) FILTER (WHERE c."status" = 'ERROR')::int AS "error", count(*) FILTER (WHERE c."status" = 'MANUAL')::int AS "manual",
  count(*) FILTER (WHERE c."status" = 'INHERITED')::int AS "inherited", count(*) FILTER (WHERE c."status" = 'NOT_APPLICABLE')::int AS "notApplicable",
  count(*) FILTER (WHERE c."status" = 'EXCEPTED')::int AS "excepted"`;

export interface ControlCounts {
  framework: string;
  control: string;
  counts: StatusCounts;
}

/** Counts per (framework, control) for an evaluation, optionally filtered. */
export async function getControlCounts(evaluationId: number, filter: ResultFilter = {}): Promise<ControlCounts[]> {
  const { sql, params } = whereClause(evaluationId, filter);
  const { rows } = await getPool().query<{ framework: string; control: string } & Record<string, number>>(
    `SELECT c."framework", c."control", ${COUNT_COLUMNS} FROM "ComplianceResult" c WHERE ${sql} GROUP BY c."framework", c."control"`,
    params,
  );
  return rows.map((r) => ({ framework: r.framework, control: r.control, counts: countsFrom(r) }));
}

export interface MatrixCell {
  control: string;
  /** null for organization-scope results (attestations). */
  accountId: string | null;
  /** null for account- and organization-scope results, and in the per-account matrix. */
  region: string | null;
  counts: StatusCounts;
}

/**
 * The framework matrix: counts per control and account (`byRegion` false) or per control,
 * account and region. One GROUP BY over the evaluation's rows of the framework (an index scan).
 */
export async function getMatrix(evaluationId: number, framework: string, filter: Omit<ResultFilter, "framework"> = {}, byRegion = false): Promise<MatrixCell[]> {
  const { sql, params } = whereClause(evaluationId, { ...filter, framework });
  const region = byRegion ? `c."region"` : `NULL::text`;
  const { rows } = await getPool().query<{ control: string; accountId: string | null; region: string | null } & Record<string, number>>(
    `SELECT c."control", c."accountId", ${region} AS "region", ${COUNT_COLUMNS}
       FROM "ComplianceResult" c WHERE ${sql} GROUP BY 1, 2, 3`,
    params,
  );
  return rows.map((r) => ({ control: r.control, accountId: r.accountId, region: r.region, counts: countsFrom(r) }));
}

/** Totals per framework (for scores), from the per-control counts. */
export function totalsByFramework(rows: readonly ControlCounts[]): Map<string, StatusCounts> {
  const out = new Map<string, StatusCounts>();
  for (const row of rows) out.set(row.framework, addCounts(out.get(row.framework) ?? emptyCounts(), row.counts));
  return out;
}

export interface PosturePoint {
  day: string;
  framework: string;
  counts: StatusCounts;
}

/** Daily counts per framework over the last `days` days (roll-ups: kept for years). */
export async function getPosture(days = 90): Promise<PosturePoint[]> {
  const { rows } = await getPool().query<{ day: string; framework: string } & Record<string, number>>(
    `SELECT to_char(r."day", 'YYYY-MM-DD') AS "day", r."framework",
            sum(r."pass")::int AS "pass", sum(r."fail")::int AS "fail", sum(r."error")::int AS "error", sum(r."manual")::int AS "manual",
            sum(r."inherited")::int AS "inherited", sum(r."notApplicable")::int AS "notApplicable", sum(r."excepted")::int AS "excepted"
       FROM "ComplianceRollup" r WHERE r."day" > current_date - $1::int
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [days],
  );
  return rows.map((r) => ({ day: r.day, framework: r.framework, counts: countsFrom(r) }));
}

/** Every result about one repository, and its registry's and account's results (context). */
export async function listResultsForRepository(evaluationId: number, arn: string, accountId: string, region: string): Promise<StoredResult[]> {
  const { rows } = await getPool().query<StoredResult>(
    `SELECT c."framework", c."control", c."scope", c."accountId", c."region", c."resource", c."severity", c."status", c."reason", c."checks", c."evidence", c."exceptionId"
       FROM "ComplianceResult" c
      WHERE c."evaluationId" = $1 AND c."resource" = ANY($2::text[])
      ORDER BY c."framework", c."control", c."scope"`,
    [evaluationId, [arn, `registry/${accountId}/${region}`, `account/${accountId}`]],
  );
  return rows;
}

export interface FailingControl {
  framework: string;
  control: string;
  severity: string;
  fail: number;
}

/** Critical and high controls with at least one FAIL, worst first. */
export async function listFailingSevereControls(evaluationId: number, limit = 20): Promise<FailingControl[]> {
  const { rows } = await getPool().query<FailingControl>(
    `SELECT c."framework", c."control", min(c."severity") AS "severity", count(*)::int AS "fail"
       FROM "ComplianceResult" c
      WHERE c."evaluationId" = $1 AND c."status" = 'FAIL' AND c."severity" IN ('critical', 'high')
      GROUP BY c."framework", c."control"
      ORDER BY min(CASE c."severity" WHEN 'critical' THEN 0 ELSE 1 END), count(*) DESC, c."framework", c."control" LIMIT $2`,
    [evaluationId, limit],
  );
  return rows;
}
