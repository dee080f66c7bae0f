import { readFile } from "node:fs/promises";
import { type ComplianceSettings, DEFAULT_COMPLIANCE_SETTINGS } from "@/lib/compliance/types";
import { parseAwsTimestamp, parseDescribeImages } from "@/lib/cost/lifecycle/parse-describe-images";
import { simulateLifecycle } from "@/lib/cost/lifecycle/simulate";
import type { LifecycleImage, LifecyclePolicy, PolicyError, SimulationOptions, SimulationResult } from "@/lib/cost/lifecycle/types";
import { validateLifecyclePolicy } from "@/lib/cost/lifecycle/validate-policy";
import { lifecyclePolicyDocument } from "@/lib/cost/lifecycle/policy-text";
import { storagePriceFor } from "@/lib/cost/pricing";
import { connectDatabase, disconnectDb } from "@/lib/db/client";
import { getLifecycleImages } from "@/lib/db/lifecycle-images";
import { closePool } from "@/lib/db/pool";
import { getSettings } from "@/lib/db/settings";
import { getVisibleRunId } from "@/lib/db/snapshot";
import type { Env } from "@/lib/env";
import { isAwsRegion } from "@/lib/regions";
import { toComplianceSettings } from "@/lib/settings";
import { CliError, parseCommandArgs } from "./args";
import { openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const LIFECYCLE_HELP = `Usage: portwatch lifecycle preview --policy FILE [--images FILE | --repository ARN] [--at DATE] [--format table|json]

Checks an ECR lifecycle policy as ECR would, listing every error, then shows what it would do to
a repository's images: which it would expire or move to archive storage, by which rule, the
standard storage freed and the monthly saving. Nothing is changed in AWS.

Options:
  --policy FILE      the lifecycle policy JSON (or get-lifecycle-policy's output). With
                     --repository it may be left out: the repository's current policy is used
  --images FILE      DescribeImages output (aws ecr describe-images --repository-name R), the
                     object or its imageDetails array; times as ISO 8601 or epoch seconds
  --repository ARN   the repository's images in the latest collection (reads the database)
  --region R         with --images: price standard storage at this region's rate
  --at DATE          measure ages at this ISO 8601 date or time instead of now
  --format F         table (default) or json

Prices come from Settings (the repository's region, and archive) when the database is read:
with --repository, or with --images when DATABASE_URL is set. Otherwise the defaults: $${DEFAULT_COMPLIANCE_SETTINGS.storagePricePerGbMonth} per
GB-month of standard storage and $${DEFAULT_COMPLIANCE_SETTINGS.archivePricePerGbMonth} of archive.

Exit status: 0 previewed, 1 an invalid policy (every error is listed) or bad input.`;

const REPOSITORY_ARN = /^arn:aws(?:-cn|-us-gov)?:ecr:([a-z0-9-]+):(\d{12}):repository\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$/;
const MAX_LISTED_ERRORS = 50;
const GIB = 1024 ** 3;

/** Writes and waits for the pipe to drain, so 100,000 image lines stream in constant memory. */
async function out(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** Every error on stderr, one "path: message" a line (the first 50 of very many). */
function printErrors(title: string, errors: PolicyError[], root: string): void {
  console.error(`portwatch: ${title} (${errors.length} error${errors.length === 1 ? "" : "s"}):`);
  for (const e of errors.slice(0, MAX_LISTED_ERRORS)) console.error(`  ${e.path || root}: ${e.message}`);
  if (errors.length > MAX_LISTED_ERRORS) console.error(`  ... and ${errors.length - MAX_LISTED_ERRORS} more`);
}

async function readText(option: string, file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${option} ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : error instanceof Error ? error.message : String(error)}`);
  }
}

/** get-lifecycle-policy's output holds the policy as a string in lifecyclePolicyText: unwrap it. */
function policyText(text: string): string {
  try {
    const document: unknown = JSON.parse(text);
    if (document && typeof document === "object" && !Array.isArray(document) && !("rules" in document) && typeof (document as Record<string, unknown>).lifecyclePolicyText === "string") {
      return (document as { lifecyclePolicyText: string }).lifecyclePolicyText;
    }
  } catch {
    // Not JSON: the validator says so, with the parser's position.
  }
  return text;
}

function validated(text: string, source: string): LifecyclePolicy | null {
  const validation = validateLifecyclePolicy(policyText(text));
  if (validation.ok) return validation.policy;
  printErrors(`the lifecycle policy ${source} is not one ECR would accept`, validation.errors, "policy");
  return null;
}

function prices(settings: ComplianceSettings, region: string | undefined): Omit<SimulationOptions, "at"> {
  return {
    storageUsdPerGbMonth: region ? storagePriceFor(region, settings) : settings.storagePricePerGbMonth,
    archiveUsdPerGbMonth: settings.archivePricePerGbMonth,
  };
}

/** Runs `read` against the database (DATABASE_URL, or the embedded one), migrated, then closes it. */
async function withDatabase<T>(env: Env, read: () => Promise<T>): Promise<T> {
  const db = await openDatabase(env, (line) => console.error(line));
  try {
    await applyMigrations(db.url, (line) => console.error(line));
    connectDatabase(db.url);
    return await read();
  } finally {
    await closePool().catch(() => undefined);
    await disconnectDb().catch(() => undefined);
    await db.close();
  }
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const sizeText = (bytes: number) => (bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);
const usd = (amount: number) => `${amount < 0 ? "-" : ""}$${Math.abs(amount).toFixed(2)}`;

async function printJson(policy: LifecyclePolicy, at: Date, result: SimulationResult, options: Omit<SimulationOptions, "at">): Promise<void> {
  await out(`{"policy":${JSON.stringify(lifecyclePolicyDocument(policy))},\n"at":${JSON.stringify(at.toISOString())},\n"images":[`);
  let first = true;
  for (const { image, fate, rulePriority } of result.outcomes) {
    const row = { digest: image.digest, tags: image.tags, fate, rulePriority, sizeBytes: image.sizeBytes, pushedAt: iso(image.pushedAt), lastPulledAt: iso(image.lastPulledAt), storageClass: image.storageClass ?? "STANDARD" };
    await out(`${first ? "\n" : ",\n"}${JSON.stringify(row)}`);
    first = false;
  }
  const rules = result.rules.map((r) => {
    const rule = policy.rules.find((p) => p.rulePriority === r.rulePriority)!;
    return { ...r, description: rule.description, action: rule.action.type };
  });
  await out(`${first ? "" : "\n"}],\n"rules":${JSON.stringify(rules)},\n"totals":${JSON.stringify(result.totals)},\n"prices":${JSON.stringify(options)}}\n`);
}

async function printTable(policy: LifecyclePolicy, at: Date, result: SimulationResult, options: Omit<SimulationOptions, "at">): Promise<void> {
  await out(`${"FATE".padEnd(10)} ${"RULE".padStart(4)}  ${"DIGEST".padEnd(19)} ${"SIZE".padStart(11)}  ${"PUSHED".padEnd(16)}  TAGS\n`);
  for (const { image, fate, rulePriority } of result.outcomes) {
    const tags = image.tags.length ? image.tags.join(", ") : "<untagged>";
    const shown = `${fate}${image.storageClass === "ARCHIVE" ? "*" : ""}`;
    await out(
      `${shown.padEnd(10)} ${String(rulePriority ?? "-").padStart(4)}  ${image.digest.slice(0, 19).padEnd(19)} ${sizeText(image.sizeBytes).padStart(11)}  ${image.pushedAt.toISOString().slice(0, 16).replace("T", " ")}  ${tags.length > 60 ? `${tags.slice(0, 57)}...` : tags}\n`,
    );
  }
  const t = result.totals;
  const lines = [""];
  for (const r of result.rules) {
    const rule = policy.rules.find((p) => p.rulePriority === r.rulePriority)!;
    const did = rule.action.type === "transition" ? `${r.transitioned} to archive` : `${r.expired} expired`;
    lines.push(`Rule ${r.rulePriority}${rule.description ? ` (${rule.description})` : ""}: selected ${r.selected}, ${did}, ${sizeText(r.bytes)}`);
  }
  if (result.outcomes.some((o) => o.image.storageClass === "ARCHIVE")) lines.push("* already in archive storage");
  lines.push(
    `${t.images} images: ${t.expired} expire, ${t.transitioned} move to archive, ${t.kept} keep.`,
    `Standard storage freed: ${sizeText(t.freedBytes)} (${t.freedBytesExact ? "exact: layers shared with kept images are not counted" : "an upper bound: some images' layers are unknown, and layers can be shared"}).`,
    `Saving: ${usd(t.monthlyUsdSaved)}/month at $${options.storageUsdPerGbMonth}/GB-month standard, $${options.archiveUsdPerGbMonth}/GB-month archive; ages as of ${at.toISOString()}.`,
  );
  await out(`${lines.join("\n")}\n`);
}

export async function lifecycleCommand(argv: string[], env: Env): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    "lifecycle",
    argv,
    {
      policy: { type: "string" },
      images: { type: "string" },
      repository: { type: "string" },
      region: { type: "string" },
      at: { type: "string" },
      format: { type: "string", default: "table" },
    },
    true,
  );
  if (values.help) {
    console.log(LIFECYCLE_HELP);
    return 0;
  }
  if (positionals[0] !== "preview" || positionals.length > 1) {
    throw new CliError(`lifecycle: ${positionals.length ? `unknown subcommand "${positionals.join(" ").slice(0, 40)}"` : "missing the subcommand"}: use portwatch lifecycle preview (see portwatch lifecycle --help)`);
  }
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") throw new CliError(`--format must be table or json, not "${format.slice(0, 40)}"`);
  let at = new Date();
  if (values.at !== undefined) {
    const parsed = parseAwsTimestamp(values.at);
    if (typeof parsed === "string") throw new CliError(`--at must be an ISO 8601 date or time such as 2026-11-28 or 2026-11-28T12:00:00Z, not "${values.at.slice(0, 40)}"`);
    at = parsed;
  }
  if ((values.images === undefined) === (values.repository === undefined)) throw new CliError("give the images to preview with either --images FILE or --repository ARN (see portwatch lifecycle --help)");
  if (values.policy === undefined && values.images !== undefined) throw new CliError("--policy FILE is required with --images");
  if (values.region !== undefined && (values.repository !== undefined || !isAwsRegion(values.region))) {
    throw new CliError(values.repository !== undefined ? "--region is only for --images: a repository's region comes from its ARN" : `--region must be an AWS region such as us-east-1, not "${values.region.slice(0, 40)}"`);
  }
  const arn = values.repository;
  if (arn !== undefined) {
    const match = REPOSITORY_ARN.exec(arn);
    if (!match || !isAwsRegion(match[1]) || match[3].length < 2 || match[3].length > 256) {
      throw new CliError(`--repository must be a repository ARN such as arn:aws:ecr:us-east-1:111111111111:repository/team/api, not "${arn.slice(0, 120)}"`);
    }
  }

  // The policy file is checked before anything is read from the database.
  let policy: LifecyclePolicy | null = null;
  if (values.policy !== undefined) {
    policy = validated(await readText("--policy", values.policy), `in ${values.policy}`);
    if (!policy) return 1;
  }

  let images: LifecycleImage[];
  let options: Omit<SimulationOptions, "at">;
  let chosen: LifecyclePolicy;
  if (values.images !== undefined && policy) {
    chosen = policy;
    const text = await readText("--images", values.images);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new CliError(`--images ${values.images} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = parseDescribeImages(document);
    if (!parsed.ok) {
      printErrors(`--images ${values.images} is not DescribeImages output`, parsed.errors, "images");
      return 1;
    }
    images = parsed.images;
    // Without DATABASE_URL nothing is started or read: the defaults price the saving.
    const settings = env.DATABASE_URL ? await withDatabase(env, async () => toComplianceSettings(await getSettings())) : DEFAULT_COMPLIANCE_SETTINGS;
    options = prices(settings, values.region);
  } else {
    const loaded = await withDatabase(env, async () => {
      const runId = await getVisibleRunId();
      if (runId === null) throw new CliError("nothing has been collected yet: run portwatch collect first");
      const snapshot = await getLifecycleImages({ runId, repositoryArn: arn! });
      if (!snapshot) throw new CliError(`repository ${arn} is not in the latest collection (run #${runId}): check the ARN, or collect its account and region`);
      return { snapshot, settings: toComplianceSettings(await getSettings()) };
    });
    images = loaded.snapshot.images;
    options = prices(loaded.settings, loaded.snapshot.region);
    if (policy) chosen = policy;
    else {
      const current = loaded.snapshot.lifecyclePolicy;
      if (current === null) throw new CliError(`repository ${arn} has no lifecycle policy (as of the latest collection): give one with --policy FILE`);
      const stored = validated(current, `of ${arn}`);
      if (!stored) return 1;
      chosen = stored;
    }
  }

  const result = simulateLifecycle(chosen, images, { ...options, at });
  if (format === "json") await printJson(chosen, at, result, options);
  else await printTable(chosen, at, result, options);
  return 0;
}
