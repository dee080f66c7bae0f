import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunStatus, RunTrigger, TargetKind, TargetStatus } from "@/lib/generated/prisma/enums";
import { getDb } from "./client";
import { getVisibleRunId } from "./snapshot";

/**
 * Reads of collection runs for the Runs pages and the run-progress route. Writers live in
 * collection-runs.ts (queueing) and lib/collect (workers).
 */

export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "running"];

export const isActiveRunStatus = (status: string) => status === "queued" || status === "running";

const RUN_SELECT = {
  id: true,
  status: true,
  trigger: true,
  requestedBy: true,
  scope: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  targetsTotal: true,
  targetsDone: true,
  targetsFailed: true,
  calls: true,
  throttled: true,
  failedCalls: true,
  costExplorerRequests: true,
  rowsWritten: true,
} satisfies Prisma.CollectionRunSelect;

export type RunSummary = Prisma.CollectionRunGetPayload<{ select: typeof RUN_SELECT }>;

const TARGET_SELECT = {
  id: true,
  kind: true,
  accountId: true,
  region: true,
  status: true,
  attempts: true,
  startedAt: true,
  finishedAt: true,
  calls: true,
  throttled: true,
  failedCalls: true,
  errorCount: true,
  rowsWritten: true,
  errorName: true,
  errorOperation: true,
  error: true,
} satisfies Prisma.CollectionTargetSelect;

export type RunTarget = Prisma.CollectionTargetGetPayload<{ select: typeof TARGET_SELECT }>;

export interface RunPage {
  runs: RunSummary[];
  /** Keyset cursors (run ids) for the neighbouring pages, when there are any. */
  newerThan: number | null;
  olderThan: number | null;
}

/**
 * Runs newest first, a page at a time. `before` (older page) and `after` (newer page) are the
 * id of the last / first run of the page the user came from; ids grow with time.
 */
export async function listCollectionRuns(
  { limit = 50, before, after }: { limit?: number; before?: number; after?: number } = {},
): Promise<RunPage> {
  const take = Math.min(Math.max(limit, 1), 200);
  if (after !== undefined) {
    const rows = await getDb().collectionRun.findMany({
      where: { id: { gt: after } },
      orderBy: { id: "asc" },
      take: take + 1,
      select: RUN_SELECT,
    });
    const hasNewer = rows.length > take;
    const runs = rows.slice(0, take).reverse();
    return { runs, newerThan: hasNewer && runs.length ? runs[0].id : null, olderThan: runs.length ? runs[runs.length - 1].id : null };
  }
  const rows = await getDb().collectionRun.findMany({
    where: before !== undefined ? { id: { lt: before } } : undefined,
    orderBy: { id: "desc" },
    take: take + 1,
    select: RUN_SELECT,
  });
  const hasOlder = rows.length > take;
  const runs = rows.slice(0, take);
  return {
    runs,
    newerThan: before !== undefined && runs.length ? runs[0].id : null,
    olderThan: hasOlder ? runs[runs.length - 1].id : null,
  };
}

export async function getCollectionRun(id: number): Promise<RunSummary | null> {
  return getDb().collectionRun.findUnique({ where: { id }, select: RUN_SELECT });
}

/** The queued or running run, if any (createCollectionRun allows at most one). */
export async function getActiveCollectionRun(): Promise<{ id: number; status: RunStatus; createdAt: Date } | null> {
  return getDb().collectionRun.findFirst({
    where: { status: { in: [...ACTIVE_RUN_STATUSES] } },
    orderBy: { id: "desc" },
    select: { id: true, status: true, createdAt: true },
  });
}

/** Region targets by account and region, the Cost Explorer target last. */
export async function listCollectionTargets(runId: number): Promise<RunTarget[]> {
  return getDb().collectionTarget.findMany({
    where: { runId },
    orderBy: [{ kind: "asc" }, { accountId: "asc" }, { region: "asc" }],
    select: TARGET_SELECT,
  });
}

export interface RunErrorRow {
  id: string;
  accountId: string;
  region: string;
  service: string;
  operation: string;
  resource: string | null;
  errorName: string;
  kind: string;
  message: string;
  at: Date;
}

export interface RunErrorGroup {
  accountId: string;
  region: string;
  errors: RunErrorRow[];
}

/**
 * A run's failed AWS calls grouped by account and region. A run against a broken organisation
 * can record one error per repository, so at most `limit` are returned; `total` says how many
 * there are.
 */
export async function listCollectionErrors(
  runId: number,
  { limit = 2000 }: { limit?: number } = {},
): Promise<{ total: number; groups: RunErrorGroup[] }> {
  const [total, rows] = await Promise.all([
    getDb().collectionError.count({ where: { runId } }),
    getDb().collectionError.findMany({
      where: { runId },
      orderBy: [{ accountId: "asc" }, { region: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, accountId: true, region: true, service: true, operation: true, resource: true, errorName: true, kind: true, message: true, at: true },
    }),
  ]);
  const groups: RunErrorGroup[] = [];
  for (const row of rows) {
    let group = groups[groups.length - 1];
    if (!group || group.accountId !== row.accountId || group.region !== row.region) {
      group = { accountId: row.accountId, region: row.region, errors: [] };
      groups.push(group);
    }
    group.errors.push({ ...row, id: row.id.toString() });
  }
  return { total, groups };
}

// --- JSON shapes: what the progress route returns and what client components receive. ---

export interface RunSummaryJson {
  id: number;
  status: RunStatus;
  trigger: RunTrigger;
  requestedBy: string;
  scope: Prisma.JsonValue;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  targetsTotal: number;
  targetsDone: number;
  targetsFailed: number;
  calls: number;
  throttled: number;
  failedCalls: number;
  costExplorerRequests: number;
  rowsWritten: number;
}

export interface RunTargetJson {
  id: number;
  kind: TargetKind;
  accountId: string;
  region: string;
  status: TargetStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  calls: number;
  throttled: number;
  failedCalls: number;
  errorCount: number;
  rowsWritten: number;
  errorName: string | null;
  errorOperation: string | null;
  error: string | null;
}

export interface RunDetailJson {
  run: RunSummaryJson;
  targets: RunTargetJson[];
  /** The run readers see meanwhile (the newest complete or partial one). */
  visibleRunId: number | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toRunSummaryJson(run: RunSummary): RunSummaryJson {
  return { ...run, createdAt: run.createdAt.toISOString(), startedAt: iso(run.startedAt), finishedAt: iso(run.finishedAt) };
}

export function toRunTargetJson(target: RunTarget): RunTargetJson {
  return { ...target, startedAt: iso(target.startedAt), finishedAt: iso(target.finishedAt) };
}

/** One run with its targets, ready to send to a browser; null for an unknown id. */
export async function getRunDetail(id: number): Promise<RunDetailJson | null> {
  const [run, targets, visible] = await Promise.all([
    getCollectionRun(id),
    listCollectionTargets(id),
    getVisibleRunId(),
  ]);
  if (!run) return null;
  return { run: toRunSummaryJson(run), targets: targets.map(toRunTargetJson), visibleRunId: visible };
}

/** Run ids are PostgreSQL int4: anything else in a URL is a bad request, not a lookup. */
export function parseRunId(value: string | undefined | null): number | null {
  if (!value || !/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= 2_147_483_647 ? id : null;
}
