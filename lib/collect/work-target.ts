import { collectCosts, isoDay } from "@/lib/aws/collect-costs";
import { collectRegion } from "@/lib/aws/collect-region";
import { emptyStats } from "@/lib/aws/clients";
import { isAwsCallError } from "@/lib/aws/errors";
import type { AwsFailure, CallStats } from "@/lib/aws/types";
import { getAwsAccount, ensureExternalId } from "@/lib/db/aws-accounts";
import { claimTarget, finishTarget, heartbeatTargets, type TargetRow } from "@/lib/db/collection-targets";
import { getLatestCostDate, writeCostCollection } from "@/lib/db/cost-writer";
import { writeRegionCollection } from "@/lib/db/inventory-writer";
import { getKnownContent } from "@/lib/db/known-content";
import { getSettings } from "@/lib/db/settings";
import type { CollectorContext } from "./collector-context";

/** Cost Explorer restates recent days; each run re-reads this many days before the newest stored. */
const RESTATED_DAYS = 3;

/** Attempts at a target that fails with something other than an AWS answer (a bug, the database). */
const MAX_ATTEMPTS = 3;

/** What AWS answers a call signed with a session that has expired. */
const EXPIRED_SESSION = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired"]);

/**
 * Collects, and collects once more with a new session when AWS refused the first as expired
 * before the time it said it would expire (a clock running slow, a revoked session): the second
 * pass replaces the first, so nothing read with the dead session is kept or counted as a failure.
 */
async function withSessionRenewal<T extends { failures: AwsFailure[] }>(renew: () => void, collectOnce: () => Promise<T>): Promise<T> {
  try {
    const first = await collectOnce();
    if (!first.failures.some((f) => EXPIRED_SESSION.has(f.errorName))) return first;
  } catch (error) {
    if (!isAwsCallError(error) || !EXPIRED_SESSION.has(error.failure.errorName)) throw error;
  }
  renew();
  return collectOnce();
}

export type TargetResult = "done" | "failed" | "skipped";

/**
 * Works one target of a run: claims it (nobody else is on it), collects it from AWS, writes it in
 * one transaction, and records the outcome with every failed call. An AWS failure that stops the
 * whole target (AssumeRole denied, region disabled, DescribeRepositories denied) fails the target
 * and writes nothing for it: its previous data stays, and checks that need it are ERROR.
 * Anything else (the database went away) is thrown, so the job is retried and the claim expires.
 */
export async function workTarget(targetId: number, context: CollectorContext): Promise<TargetResult> {
  const target = await claimTarget(targetId, context.workerId, context.heartbeatSeconds * 3);
  if (!target) return "skipped";
  const beat = setInterval(() => {
    heartbeatTargets([target.id], context.workerId).catch(() => undefined);
  }, context.heartbeatSeconds * 1000);
  beat.unref();
  const stats = emptyStats();
  try {
    const { rowsWritten, failures } = target.kind === "cost" ? await collectCostTarget(target, context, stats) : await collectRegionTarget(target, context, stats);
    await finishTarget(target, context.workerId, { status: "done", stats, rowsWritten, failures });
    return "done";
  } catch (error) {
    if (!isAwsCallError(error)) {
      if (target.attempts < MAX_ATTEMPTS) throw error;
      // The same target failed this way every time: record it rather than retry forever.
      const message = error instanceof Error ? error.message : String(error);
      await finishTarget(target, context.workerId, { status: "failed", stats, rowsWritten: 0, failures: [], fatal: { errorName: "InternalError", operation: "portwatch:collect", message } });
      return "failed";
    }
    // Recorded against the target it stopped (AssumeRole itself is answered by STS in us-east-1).
    const failure = { ...error.failure, region: target.region };
    await finishTarget(target, context.workerId, {
      status: "failed",
      stats,
      rowsWritten: 0,
      failures: [failure],
      fatal: { errorName: failure.errorName, operation: `${failure.service}:${failure.operation}`, message: failure.message },
    });
    return "failed";
  } finally {
    clearInterval(beat);
  }
}

async function collectRegionTarget(target: TargetRow, context: CollectorContext, stats: CallStats): Promise<{ rowsWritten: number; failures: AwsFailure[] }> {
  const account = await getAwsAccount(target.accountId);
  if (!account) {
    throw new Error(`account ${target.accountId} was removed while run #${target.runId} was collecting it`);
  }
  const sessions = context.sessions(await ensureExternalId());
  const known = await getKnownContent(target.accountId, target.region);
  const collection = await withSessionRenewal(
    () => sessions.forget(account.roleArn),
    () =>
      collectRegion({
        accountId: target.accountId,
        region: target.region,
        credentials: sessions.provider(account.roleArn),
        limiter: context.limiter,
        stats,
        failures: [],
        concurrency: context.repositoryConcurrency,
        client: context.client,
      }, { known }),
  );
  const { rowsWritten } = await writeRegionCollection(target.runId, target.accountId, target.region, collection, { resumed: target.attempts > 1 });
  return { rowsWritten, failures: collection.failures };
}

async function collectCostTarget(target: TargetRow, context: CollectorContext, stats: CallStats): Promise<{ rowsWritten: number; failures: AwsFailure[] }> {
  const settings = await getSettings();
  const costExplorer = settings.costExplorer;
  if (!costExplorer) throw new Error("the Cost Explorer role is no longer configured");
  const sessions = context.sessions(await ensureExternalId());
  const latest = await getLatestCostDate();
  const dailySince = latest ? isoDay(new Date(Date.parse(latest) - RESTATED_DAYS * 86_400_000)) : undefined;
  const costs = await withSessionRenewal(
    () => sessions.forget(costExplorer.roleArn),
    () =>
      collectCosts({
        credentials: sessions.provider(costExplorer.roleArn),
        today: new Date(),
        lookbackDays: costExplorer.lookbackDays,
        dailySince,
        limiter: context.limiter,
        stats,
        client: context.client,
      }),
  );
  const { rowsWritten } = await writeCostCollection(target.runId, costs);
  // Each Cost Explorer request is billed (USD 0.01): the target's calls are exactly those requests.
  stats.calls = Math.max(stats.calls, costs.requests);
  return { rowsWritten, failures: costs.failures };
}
