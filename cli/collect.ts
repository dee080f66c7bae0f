import { isAwsRegion } from "@/lib/regions";
import { startCollectorWorker } from "@/lib/collect/worker";
import { disconnectDb, connectDatabase } from "@/lib/db/client";
import { createCollectionRun } from "@/lib/db/collection-runs";
import { getRunProgress, type RunProgress } from "@/lib/db/collection-targets";
import { evaluateRun } from "@/lib/db/evaluations";
import { closePool, getPool } from "@/lib/db/pool";
import type { Env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { applyConfigFile } from "./accounts-config";
import { CliError, parseCommandArgs } from "./args";
import { openDatabase } from "./database";
import { applyMigrations } from "./migrate";
import { evaluationLine } from "./results";

export const COLLECT_HELP = `Usage: portwatch collect [--config F] [--account ID]... [--region R]...

Runs one collection in the foreground: assumes each account's read-only role, reads ECR (and
the region's CloudTrail, GuardDuty, VPC endpoints, KMS keys) in every region, and Cost Explorer
once, into the database. Other workers (portwatch serve, portwatch worker) share the work.

Options:
  --config F      apply this accounts config file first (default: PORTWATCH_CONFIG)
  --account ID    only this account (12 digits); repeat for more
  --region R      only this region; repeat for more

Exit status: 0 every target collected, 3 some targets or calls failed (listed), 1 nothing
collected or bad input. AWS credentials come from the standard AWS chain (environment,
profile, instance role); AWS_ENDPOINT_URL points every client elsewhere.`;

function bar(progress: RunProgress, width = 24): string {
  const total = Math.max(progress.targetsTotal, 1);
  const filled = Math.round((progress.targetsDone / total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${progress.targetsDone}/${progress.targetsTotal} targets · ${progress.calls} calls · ${progress.throttled} throttled · ${progress.errorCount} errors`;
}

interface FailureLine {
  accountId: string;
  region: string;
  operation: string;
  errorName: string;
  count: number;
  message: string;
  targetFailed: boolean;
}

async function failureLines(runId: number): Promise<FailureLine[]> {
  const { rows } = await getPool().query<FailureLine>(
    `SELECT e."accountId", e."region", e."service" || ':' || e."operation" AS operation, e."errorName", count(*)::int AS count, min(e."message") AS message,
            bool_or(t."status" = 'failed') AS "targetFailed"
       FROM "CollectionError" e LEFT JOIN "CollectionTarget" t ON t."id" = e."targetId"
      WHERE e."runId" = $1
      GROUP BY 1, 2, 3, 4 ORDER BY 7 DESC, 1, 2, 3`,
    [runId],
  );
  return rows;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

export async function collectCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("collect", argv, {
    config: { type: "string" },
    account: { type: "string", multiple: true },
    region: { type: "string", multiple: true },
  });
  if (values.help) {
    console.log(COLLECT_HELP);
    return 0;
  }
  const accountIds = values.account ?? [];
  for (const id of accountIds) if (!/^\d{12}$/.test(id)) throw new CliError(`--account must be a 12-digit AWS account id, not "${id.slice(0, 40)}"`);
  const regions = values.region ?? [];
  for (const region of regions) if (!isAwsRegion(region)) throw new CliError(`--region must be an AWS region such as us-east-1, not "${region.slice(0, 40)}"`);

  const db = await openDatabase(env, (line) => console.error(line));
  let worker: Awaited<ReturnType<typeof startCollectorWorker>> | undefined;
  try {
    await applyMigrations(db.url, (line) => console.error(line));
    connectDatabase(db.url);
    await applyConfigFile(values.config ?? env.PORTWATCH_CONFIG, (line) => console.error(line));

    let runId: number;
    try {
      ({ runId } = await createCollectionRun({ trigger: "cli", scope: { accountIds, regions }, actor: { id: null, email: "cli" } }));
    } catch (error) {
      // "invalid" is an --account that is not listed (after the config file, which may list it).
      if (isAppError(error)) throw new CliError(error.code === "invalid" ? `--account: ${error.message} (portwatch collect --config F lists accounts)` : error.message);
      throw error;
    }
    worker = await startCollectorWorker({
      databaseUrl: db.url,
      concurrency: env.PORTWATCH_WORKER_CONCURRENCY,
      heartbeatSeconds: env.PORTWATCH_HEARTBEAT_SECONDS,
      schedule: false,
      log: (line) => console.error(line),
    });
    await worker.startRun(runId);

    const tty = process.stderr.isTTY;
    let lastLine = "";
    let lastPrinted = 0;
    let progress: RunProgress | null = null;
    const interrupted = new Promise<"interrupted">((resolve) => process.once("SIGINT", () => resolve("interrupted")));
    for (;;) {
      progress = await getRunProgress(runId);
      if (!progress) throw new CliError(`run #${runId} disappeared from the database`);
      const line = bar(progress);
      if (tty) process.stderr.write(`\r${line}`);
      else if (line !== lastLine && Date.now() - lastPrinted > 5000) {
        console.error(line);
        lastPrinted = Date.now();
      }
      lastLine = line;
      if (!["queued", "running"].includes(progress.status)) break;
      const waited = await Promise.race([new Promise((resolve) => setTimeout(resolve, 400)), interrupted]);
      if (waited === "interrupted") {
        if (tty) process.stderr.write("\n");
        console.error(`Stopped. Run #${runId} is unfinished; any portwatch worker or serve resumes it.`);
        return 1;
      }
    }
    if (tty) process.stderr.write("\n");
    else console.error(lastLine);

    console.log(`Run #${runId} ${progress.status}: ${progress.targetsDone - progress.targetsFailed}/${progress.targetsTotal} targets collected, ${progress.calls} AWS calls (${progress.throttled} throttled, ${progress.failedCalls} failed), ${progress.costExplorerRequests} Cost Explorer requests (USD ${(progress.costExplorerRequests * 0.01).toFixed(2)}), ${progress.rowsWritten} rows written.`);
    if (progress.error) console.log(`Why: ${progress.error}`);
    const failures = await failureLines(runId);
    if (failures.length) {
      console.log("");
      console.log("What could not be read:");
      console.log(
        table([
          ["ACCOUNT", "REGION", "CALL", "ERROR", "COUNT", "EFFECT", "MESSAGE"],
          ...failures.map((f) => [f.accountId, f.region, f.operation, f.errorName, String(f.count), f.targetFailed ? "target failed" : "field unknown", f.message.replace(/\s+/g, " ").slice(0, 160)]),
        ]),
      );
    }
    if (progress.status === "complete" || progress.status === "partial") {
      console.log(evaluationLine(await evaluateRun(runId, { reason: "run finished", requestedBy: "cli", reuse: true })));
    }
    if (progress.status === "complete") return 0;
    if (progress.status === "partial") return 3;
    return 1;
  } finally {
    await worker?.stop().catch(() => undefined);
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
}
