import "server-only";
import { type ConnectionTestResult, testConnection } from "@/lib/aws/test-connection";
import type { Actor } from "@/lib/db/audit";
import { ensureExternalId, recordConnectionTest, startConnectionTestRecord } from "@/lib/db/aws-accounts";
import type { ConnectionTestState } from "./connection-test-state";

/** AssumeRole plus one call per region, each retried by the SDK: past this the test is reported as stuck. */
const TEST_TIMEOUT_MS = 120_000;

/**
 * Starts a Test connection and returns as soon as it is recorded as running: AWS is called in
 * the background (never inside the request), and the outcome, or the reason it could not run,
 * is stored on the account for the page to poll.
 */
export async function startConnectionTest(accountId: string, actor: Actor): Promise<{ startedAt: string }> {
  const externalId = await ensureExternalId();
  const started = await startConnectionTestRecord(accountId, actor);
  void finishConnectionTest(accountId, actor, started, () => testConnection({ roleArn: started.roleArn, externalId, regions: started.regions }));
  return { startedAt: started.startedAt };
}

/** Runs the test and stores what happened; never throws (nothing awaits it). */
export async function finishConnectionTest(
  accountId: string,
  actor: Actor,
  started: { startedAt: string; roleArn: string; regions: string[] },
  run: () => Promise<ConnectionTestResult>,
): Promise<ConnectionTestState> {
  const base = { startedAt: started.startedAt, requestedBy: actor.email, roleArn: started.roleArn, regions: started.regions };
  let state: ConnectionTestState;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the test did not finish within ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
      timer.unref?.();
    });
    const result = await Promise.race([run(), timeout]);
    state = { status: "finished", ...base, finishedAt: new Date().toISOString(), ...summarise(result) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[accounts] connection test of ${accountId} failed:`, message);
    state = { status: "error", ...base, finishedAt: new Date().toISOString(), message: `The test could not run: ${message.slice(0, 500)}` };
  } finally {
    clearTimeout(timer);
  }
  try {
    await recordConnectionTest(accountId, state);
  } catch (error) {
    console.error(`[accounts] could not store the connection test of ${accountId}:`, error instanceof Error ? error.message : error);
  }
  return state;
}

// Field by field: whatever else the result may carry is not stored.
function summarise(result: ConnectionTestResult) {
  const failure = (f: NonNullable<ConnectionTestResult["regions"][number]["failure"]>) => ({
    accountId: f.accountId,
    region: f.region,
    service: f.service,
    operation: f.operation,
    ...(f.resource ? { resource: f.resource } : {}),
    errorName: f.errorName,
    message: f.message,
    kind: f.kind,
  });
  const assumeRole = result.assumeRole.ok
    ? { ok: true as const, identityArn: result.assumeRole.identityArn }
    : { ok: false as const, failure: failure(result.assumeRole.failure) };
  const regionResults = result.regions.map((r) => ({
    region: r.region,
    ok: r.ok,
    operation: r.operation,
    ...(r.failure ? { failure: failure(r.failure) } : {}),
  }));
  return { ok: assumeRole.ok && regionResults.every((r) => r.ok), assumeRole, regionResults };
}
