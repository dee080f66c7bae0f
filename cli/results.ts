import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { formatScore, scoreOf } from "@/lib/compliance/score";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import { csvLine } from "@/lib/csv";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { getCurrentEvaluation, iterateResults, type ResultFilter, type StoredResult } from "@/lib/db/compliance-results";
import type { EvaluationSummary } from "@/lib/db/evaluations";
import { closePool } from "@/lib/db/pool";
import type { Env } from "@/lib/env";
import { CliError, parseCommandArgs } from "./args";
import { openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const RESULTS_HELP = `Usage: portwatch results [--framework ID] [--status S]... [--account ID] [--format table|json|csv]

Prints the compliance results of the latest evaluated collection run: one row per
(framework, control, resource), with its status and the reason.

Options:
  --framework ID   only this framework: ${FRAMEWORKS.map((f) => f.id).join(", ")}
  --status S       only this status (repeat for more): ${RESULT_STATUSES.join(", ")}
  --account ID     only this account (12 digits)
  --format F       table (default), json (an array, DESIGN.md's shape) or csv (one row per result)

Exit status: 0 printed (even when results FAIL), 1 bad input or nothing evaluated yet.`;

/** One line summing an evaluation, for collect and demo. */
export function evaluationLine(summary: EvaluationSummary): string {
  const c = summary.counts;
  return `Evaluated run #${summary.runId}: ${summary.resultCount} results (${c.PASS + c.INHERITED} pass, ${c.FAIL} fail, ${c.EXCEPTED} excepted, ${c.ERROR} error, ${c.MANUAL} manual, ${c.NOT_APPLICABLE} not applicable); score ${formatScore(scoreOf(c))}.`;
}

function jsonShape(r: StoredResult) {
  return {
    framework: r.framework,
    control: r.control,
    scope: r.scope,
    accountId: r.accountId,
    region: r.region,
    resource: r.resource,
    status: r.status,
    reason: r.reason,
    checks: r.checks.map((c) => ({ check: c.check, status: c.status })),
  };
}

const CSV_HEADER = ["framework", "control", "severity", "scope", "accountId", "region", "resource", "status", "reason", "checks"];
function csvRow(r: StoredResult): string[] {
  return [r.framework, r.control, r.severity, r.scope, r.accountId ?? "", r.region ?? "", r.resource, r.status, r.reason, r.checks.map((c) => `${c.check}=${c.status}`).join(" ")];
}

/** Writes and waits for the pipe to drain, so a large result set streams in constant memory. */
async function out(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

export async function resultsCommand(argv: string[], env: Env): Promise<number> {
  const { values } = parseCommandArgs("results", argv, {
    framework: { type: "string" },
    status: { type: "string", multiple: true },
    account: { type: "string" },
    format: { type: "string", default: "table" },
  });
  if (values.help) {
    console.log(RESULTS_HELP);
    return 0;
  }
  const framework = values.framework;
  if (framework !== undefined && !FRAMEWORKS.some((f) => f.id === framework)) {
    throw new CliError(`--framework must be one of ${FRAMEWORKS.map((f) => f.id).join(", ")}, not "${framework.slice(0, 40)}"`);
  }
  const statuses = (values.status ?? []).map((s) => s.toUpperCase());
  for (const s of statuses) if (!RESULT_STATUSES.includes(s as ResultStatus)) throw new CliError(`--status must be one of ${RESULT_STATUSES.join(", ")}, not "${s.slice(0, 40)}"`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) throw new CliError(`--account must be a 12-digit AWS account id, not "${values.account.slice(0, 40)}"`);
  const format = values.format ?? "table";
  if (!["table", "json", "csv"].includes(format)) throw new CliError(`--format must be table, json or csv, not "${format.slice(0, 40)}"`);

  const db = await openDatabase(env, (line) => console.error(line));
  try {
    await applyMigrations(db.url, (line) => console.error(line));
    connectDatabase(db.url);
    const evaluation = await getCurrentEvaluation();
    if (!evaluation) throw new CliError("nothing has been evaluated yet: run portwatch collect (or wait for the worker's first run)");
    if (evaluation.stale) console.error(`portwatch: run #${evaluation.visibleRunId} is still being evaluated; these results are from run #${evaluation.runId}`);
    const filter: ResultFilter = { framework, status: statuses as ResultStatus[], accountId: values.account };

    if (format === "json") {
      await out("[");
      let first = true;
      for await (const r of iterateResults(evaluation.id, filter)) {
        await out(`${first ? "\n" : ",\n"}${JSON.stringify(jsonShape(r))}`);
        first = false;
      }
      await out(first ? "]\n" : "\n]\n");
    } else if (format === "csv") {
      await out(csvLine(CSV_HEADER));
      for await (const r of iterateResults(evaluation.id, filter)) await out(csvLine(csvRow(r)));
    } else {
      let count = 0;
      for await (const r of iterateResults(evaluation.id, filter)) {
        const where = r.scope === "repository" ? r.resource.replace(/^arn:aws[\w-]*:ecr:[^:]+:\d{12}:repository\//, "") : r.resource;
        await out(`${r.status.padEnd(14)} ${r.framework.padEnd(15)} ${r.control.padEnd(8)} ${(r.accountId ?? "").padEnd(12)} ${(r.region ?? "").padEnd(14)} ${where}\n${" ".repeat(15)}${r.reason}\n`);
        count += 1;
      }
      console.error(`${count} result(s) from run #${evaluation.runId}, evaluated ${evaluation.finishedAt?.toISOString() ?? ""}.`);
    }
    return 0;
  } finally {
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
}
