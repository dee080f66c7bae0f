import { parseAccountsConfig } from "@/lib/accounts/config-schema";
import { startCollectorWorker, type CollectorWorker } from "@/lib/collect/worker";
import { applyAccountsConfig } from "@/lib/db/aws-accounts";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress, type RunProgress } from "@/lib/db/collection-targets";
import { closePool, getPool } from "@/lib/db/pool";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "@/lib/sandbox/credentials";
import { getImages, getRepositories } from "@/lib/sandbox/ecr-model";
import { accountsConfig } from "@/lib/sandbox/organization";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { afterAll, beforeAll, expect } from "vitest";

/**
 * For collector tests: the environment a real deployment would have (the SDK's own endpoint and
 * credential variables, pointed at the sandbox), the sandbox's accounts config applied, and a
 * worker in this process.
 */
export function awsEnvironment(sandbox: RunningSandbox): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: BASE_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: BASE_SECRET_ACCESS_KEY,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    // Keep failures quick: the SDK's standard retries still absorb throttling and 5xx.
    AWS_MAX_ATTEMPTS: "4",
  };
}

export function pointSdkAt(sandbox: RunningSandbox): void {
  Object.assign(process.env, awsEnvironment(sandbox));
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

export async function configureSandboxAccounts(sandbox: RunningSandbox): Promise<void> {
  const parsed = parseAccountsConfig(accountsConfig(sandbox.organization));
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  await applyAccountsConfig(parsed.config, { id: null, email: "test" });
}

export async function startTestWorker(databaseUrl: string, heartbeatSeconds = 1): Promise<CollectorWorker> {
  return startCollectorWorker({ databaseUrl, concurrency: 4, heartbeatSeconds, schedule: false, log: () => undefined });
}

export async function waitForRun(runId: number, timeoutMs = 60_000): Promise<RunProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await getRunProgress(runId);
    if (progress && !["queued", "running"].includes(progress.status)) return progress;
    if (Date.now() > deadline) throw new Error(`run #${runId} did not finish: ${JSON.stringify(progress)} ${JSON.stringify(await sql(`SELECT id, status, "errorName", error, attempts FROM "CollectionTarget" WHERE "runId" = $1`, [runId]))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function collect(worker: CollectorWorker, scope = {}): Promise<RunProgress> {
  const { runId } = await createCollectionRun({ trigger: "cli", scope, actor: { id: null, email: "test" } });
  await worker.startRun(runId);
  return waitForRun(runId);
}

export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await getPool().query(text, params)).rows as T[];
}

/** The stored inventory is exactly the organisation's every repository and image, each row once. */
export async function expectExactInventory(sandbox: RunningSandbox): Promise<void> {
  const org = sandbox.organization;
  const repos = org.accounts.filter((a) => a.status === "ACTIVE").flatMap((a) => org.options.regions.flatMap((r) => getRepositories(org, a.id, r)));
  const [counts] = await sql<{ repos: number; distinctRepos: number; images: number; distinctImages: number }>(
    `SELECT (SELECT count(*)::int FROM "Repository") AS repos, (SELECT count(DISTINCT "arn")::int FROM "Repository") AS "distinctRepos",
            (SELECT count(*)::int FROM "Image") AS images, (SELECT count(DISTINCT ("repositoryArn", "digest"))::int FROM "Image") AS "distinctImages"`,
  );
  const images = repos.reduce((n, repo) => n + getImages(org, repo).length, 0);
  expect(counts).toEqual({ repos: repos.length, distinctRepos: repos.length, images, distinctImages: images });
}

export interface CollectedDemo {
  sandbox: RunningSandbox;
  worker: CollectorWorker;
  run: RunProgress;
}

/**
 * The demo organisation served by a sandbox and collected once, through the real SDK, into the
 * test file's database (withTestDatabase); the worker keeps running for the file's tests unless
 * `stopWorker`. Read
 * the result inside tests or later hooks: it is set once beforeAll has run.
 */
export function withCollectedDemo(db: { url: () => string }, { stopWorker = false }: { stopWorker?: boolean } = {}): () => CollectedDemo {
  let collected: CollectedDemo | undefined;
  let sandbox: RunningSandbox | undefined;
  let worker: CollectorWorker | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(sandboxOptions("demo"));
    pointSdkAt(sandbox);
    await configureSandboxAccounts(sandbox);
    worker = await startTestWorker(db.url());
    collected = { sandbox, worker, run: await collect(worker) };
    // Tests that run the evaluation step themselves stop the worker, whose own job would race them.
    if (stopWorker) await worker.stop();
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await closePool();
    await sandbox?.close();
  });
  return () => {
    if (!collected) throw new Error("the demo organisation has not been collected yet (read it inside a test or a later hook)");
    return collected;
  };
}
