import "server-only";
import type {
  AccountCostFacts,
  AccountFacts,
  ImageFacts,
  KmsKeyFacts,
  ReadErrors,
  RegistryFacts,
  RepositoryFacts,
} from "@/lib/compliance/types";
import { getPool } from "./pool";
import { inSnapshotSql } from "./snapshot";

/**
 * The facts the checks read, from one run's snapshot (snapshot.ts). Read one registry at a time,
 * so memory stays bounded by the largest registry, not the organisation.
 */

export interface RegistryToEvaluate {
  accountId: string;
  region: string;
  /** "read": the facts are in the snapshot; "failed": the run could not read the registry. */
  state: "read" | "failed";
  errorName: string | null;
  errorOperation: string | null;
  error: string | null;
}

export interface EvaluationScope {
  runId: number;
  /** When the run finished: ages are measured from here. */
  asOf: Date;
  registries: RegistryToEvaluate[];
  accounts: AccountFacts[];
  organizationAccountIds: Set<string>;
  accountEnvironments: Map<string, string>;
}

/**
 * Which registries and accounts an evaluation of `runId` covers: every (account, region) the run
 * targeted (failed targets included, so they show as ERROR), and every registry of an enabled
 * account still in the snapshot from an earlier run (a run limited to some accounts does not
 * make the others vanish).
 */
export async function getEvaluationScope(runId: number, costExplorerConfigured: boolean, costWindowDays: number): Promise<EvaluationScope> {
  const pool = getPool();
  const { rows: runRows } = await pool.query<{ finishedAt: Date | null; createdAt: Date }>(`SELECT "finishedAt", "createdAt" FROM "CollectionRun" WHERE "id" = $1`, [runId]);
  if (!runRows[0]) throw new Error(`run #${runId} does not exist`);
  const asOf = runRows[0].finishedAt ?? runRows[0].createdAt;

  const { rows: registries } = await pool.query<RegistryToEvaluate>(
    `SELECT t."accountId", t."region", CASE WHEN t."status" = 'done' THEN 'read' ELSE 'failed' END AS "state",
            t."errorName", t."errorOperation", t."error"
       FROM "CollectionTarget" t
      WHERE t."runId" = $1 AND t."kind" = 'region'
     UNION ALL
     SELECT g."accountId", g."region", 'read', NULL, NULL, NULL
       FROM "Registry" g JOIN "AwsAccount" a ON a."id" = g."accountId" AND a."enabled"
      WHERE ${inSnapshotSql("g", "$1")}
        AND NOT EXISTS (SELECT 1 FROM "CollectionTarget" t WHERE t."runId" = $1 AND t."kind" = 'region' AND t."accountId" = g."accountId" AND t."region" = g."region")
      ORDER BY 1, 2`,
    [runId],
  );

  const { rows: accountRows } = await pool.query<{ id: string; name: string; environment: string }>(`SELECT "id", "name", "environment" FROM "AwsAccount"`);
  const organizationAccountIds = new Set(accountRows.map((a) => a.id));
  const accountEnvironments = new Map(accountRows.map((a) => [a.id, a.environment]));
  const names = new Map(accountRows.map((a) => [a.id, a.name]));

  const accountIds = [...new Set(registries.map((r) => r.accountId))];
  const costs = await getAccountCosts(runId, accountIds, costExplorerConfigured, costWindowDays);
  const accounts = accountIds.map((id) => ({ accountId: id, name: names.get(id) ?? id, environment: accountEnvironments.get(id) ?? "unknown", cost: costs.get(id)! }));
  return { runId, asOf, registries, accounts, organizationAccountIds, accountEnvironments };
}

/**
 * COST-04's facts per account: ECR cost per usage type over the newest `days` days Cost Explorer
 * returned (USD, unblended), as of the newest cost read at or before the run; the state of that
 * read decides whether the numbers can be trusted.
 */
async function getAccountCosts(runId: number, accountIds: string[], configured: boolean, days: number): Promise<Map<string, AccountCostFacts>> {
  const out = new Map<string, AccountCostFacts>();
  const pool = getPool();
  const { rows: targets } = await pool.query<{ status: string; errorName: string | null; errorOperation: string | null; error: string | null }>(
    `SELECT "status"::text, "errorName", "errorOperation", "error" FROM "CollectionTarget"
      WHERE "kind" = 'cost' AND "runId" <= $1 AND "status" IN ('done', 'failed') ORDER BY "runId" DESC LIMIT 1`,
    [runId],
  );
  const target = targets[0];
  let state: AccountCostFacts | null = null;
  if (!target) state = configured ? { state: "error", errorName: "NotCollected", operation: "ce:GetCostAndUsage", message: "Cost Explorer has not been read yet" } : { state: "not-configured" };
  else if (target.status === "failed")
    state = { state: "error", errorName: target.errorName ?? "Error", operation: target.errorOperation ?? "ce:GetCostAndUsage", message: target.error ?? "the Cost Explorer target failed" };
  if (state) {
    for (const id of accountIds) out.set(id, state);
    return out;
  }
  const { rows } = await pool.query<{ key: string; usageType: string; amount: string; estimated: boolean }>(
    `WITH bounds AS (SELECT max("date") AS last FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT')
     SELECT c."key", c."usageType", sum(c."amount")::text AS "amount", bool_or(c."estimated") AS "estimated"
       FROM "CostDaily" c, bounds b
      WHERE c."dimension" = 'LINKED_ACCOUNT' AND c."key" = ANY($1::text[]) AND c."date" > b.last - $2::int AND c."date" <= b.last
      GROUP BY c."key", c."usageType"`,
    [accountIds, days],
  );
  const { rows: window } = await pool.query<{ from: string | null; to: string | null }>(
    `SELECT to_char(max("date") - ($1::int - 1), 'YYYY-MM-DD') AS "from", to_char(max("date"), 'YYYY-MM-DD') AS "to" FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT'`,
    [days],
  );
  const from = window[0]?.from ?? "";
  const to = window[0]?.to ?? "";
  for (const id of accountIds) out.set(id, { state: "read", from, to, usageTypes: [] });
  for (const row of rows) {
    const facts = out.get(row.key);
    if (facts?.state === "read") facts.usageTypes.push({ usageType: row.usageType, amountUsd: Number(row.amount), estimated: row.estimated });
  }
  return out;
}

interface RegistryRow {
  scanType: string | null;
  scanRules: RegistryFacts["scanRules"];
  registryPolicy: string | null;
  replicationRules: RegistryFacts["replicationRules"];
  trails: RegistryFacts["trails"];
  guardDutyDetectors: RegistryFacts["guardDutyDetectors"];
  vpcs: RegistryFacts["vpcs"];
  vpcEndpoints: RegistryFacts["vpcEndpoints"];
  inspectorCoverage: RegistryFacts["inspectorCoverage"];
  readErrors: ReadErrors;
  collectedAt: Date;
  validFrom: number;
}

export interface RegistrySnapshot {
  registry: RegistryFacts;
  repositories: RepositoryFacts[];
  collectedAt: Date;
  /** The run that collected this version of the registry. */
  collectedInRun: number;
}

/** One registry's facts as of the run's snapshot; null when the snapshot has no row for it. */
export async function getRegistrySnapshot(runId: number, accountId: string, region: string): Promise<RegistrySnapshot | null> {
  const pool = getPool();
  const { rows: registryRows } = await pool.query<RegistryRow>(
    `SELECT g."scanType", g."scanRules", g."registryPolicy", g."replicationRules", g."trails", g."guardDutyDetectors", g."vpcs",
            g."vpcEndpoints", g."inspectorCoverage", g."readErrors", g."collectedAt", g."validFrom"
       FROM "Registry" g WHERE g."accountId" = $2 AND g."region" = $3 AND ${inSnapshotSql("g", "$1")}`,
    [runId, accountId, region],
  );
  const g = registryRows[0];
  if (!g) return null;

  const [repositories, images, keys] = await Promise.all([
    pool.query<Omit<RepositoryFacts, "images" | "key" | "createdAt"> & { createdAt: Date; storedBytes: string }>(
      `SELECT r."arn", r."accountId", r."region", r."name", r."createdAt", r."imageTagMutability", r."tagMutabilityExclusions",
              r."scanOnPush", r."scanFrequency", r."appliedScanFilters", r."encryptionType", r."kmsKey", r."lifecyclePolicy",
              r."repositoryPolicy", r."tags", r."readErrors", COALESCE(r."storedBytes", r."imageBytes")::text AS "storedBytes"
         FROM "Repository" r WHERE r."accountId" = $2 AND r."region" = $3 AND r."deletedAt" IS NULL AND ${inSnapshotSql("r", "$1")}
        ORDER BY r."name"`,
      [runId, accountId, region],
    ),
    pool.query<Omit<ImageFacts, "sizeBytes"> & { repositoryArn: string; sizeBytes: string }>(
      `SELECT i."repositoryArn", i."digest", i."tags", i."sizeBytes"::text AS "sizeBytes", i."pushedAt", i."lastPulledAt", i."manifestMediaType",
              i."artifactMediaType", i."scanStatus", i."scanDescription", i."scanCompletedAt", i."severityCounts", i."layers"
         FROM "Image" i WHERE i."accountId" = $2 AND i."region" = $3 AND i."deletedAt" IS NULL AND ${inSnapshotSql("i", "$1")}`,
      [runId, accountId, region],
    ),
    pool.query<KmsKeyFacts>(
      `SELECT k."arn", k."keyManager", k."keyState", k."rotationEnabled", k."readErrors"
         FROM "KmsKey" k WHERE k."accountId" = $2 AND k."region" = $3 AND ${inSnapshotSql("k", "$1")}`,
      [runId, accountId, region],
    ),
  ]);

  const imagesByRepository = new Map<string, ImageFacts[]>();
  for (const row of images.rows) {
    const { repositoryArn, sizeBytes, ...image } = row;
    const list = imagesByRepository.get(repositoryArn);
    const facts: ImageFacts = { ...image, sizeBytes: Number(sizeBytes) };
    if (list) list.push(facts);
    else imagesByRepository.set(repositoryArn, [facts]);
  }
  const keysByArn = new Map(keys.rows.map((k) => [k.arn, k]));
  // Bytes ECR stores, each layer once per repository (rows collected before that was recorded: the images' sizes summed).
  let storedBytes = 0;
  const repositoryFacts: RepositoryFacts[] = repositories.rows.map(({ storedBytes: repositoryBytes, ...r }) => {
    storedBytes += Number(repositoryBytes);
    return { ...r, key: r.kmsKey ? (keysByArn.get(r.kmsKey) ?? null) : null, images: imagesByRepository.get(r.arn) ?? [] };
  });

  return {
    registry: {
      accountId,
      region,
      scanType: g.scanType,
      scanRules: g.scanRules,
      registryPolicy: g.registryPolicy,
      replicationRules: g.replicationRules,
      trails: g.trails,
      guardDutyDetectors: g.guardDutyDetectors,
      vpcs: g.vpcs,
      vpcEndpoints: g.vpcEndpoints,
      inspectorCoverage: g.inspectorCoverage,
      readErrors: g.readErrors,
      storedBytes,
    },
    repositories: repositoryFacts,
    collectedAt: g.collectedAt,
    collectedInRun: g.validFrom,
  };
}

/** The repositories of a registry known from the snapshot (for a registry the run could not read). */
export async function listSnapshotRepositoryArns(runId: number, accountId: string, region: string): Promise<string[]> {
  const { rows } = await getPool().query<{ arn: string }>(
    `SELECT r."arn" FROM "Repository" r WHERE r."accountId" = $2 AND r."region" = $3 AND r."deletedAt" IS NULL AND ${inSnapshotSql("r", "$1")} ORDER BY r."arn"`,
    [runId, accountId, region],
  );
  return rows.map((r) => r.arn);
}

/**
 * The registries' snapshots in order, read a few ahead of the consumer so PostgreSQL reads the next
 * ones while this process works on the current one. `snapshot` is null for a target `shouldRead`
 * declines or that has no row in the snapshot; `waitedMs` is how long the consumer waited for it.
 */
export async function* readRegistrySnapshots<T extends { accountId: string; region: string }>(
  runId: number,
  targets: readonly T[],
  shouldRead: (target: T) => boolean = () => true,
  ahead = 4,
): AsyncGenerator<{ target: T; snapshot: RegistrySnapshot | null; waitedMs: number }> {
  const reads: (Promise<RegistrySnapshot | null> | null)[] = targets.map(() => null);
  const read = (i: number) => {
    const target = targets[i];
    if (!target || reads[i] || !shouldRead(target)) return;
    const pending = getRegistrySnapshot(runId, target.accountId, target.region);
    // Awaited in order below; a read that fails after an earlier failure must not go unhandled.
    pending.catch(() => undefined);
    reads[i] = pending;
  };
  for (let i = 0; i < ahead; i++) read(i);
  for (const [index, target] of targets.entries()) {
    read(index + ahead);
    const waited = performance.now();
    const snapshot = reads[index] ? await reads[index] : null;
    const waitedMs = performance.now() - waited;
    reads[index] = null;
    yield { target, snapshot, waitedMs };
  }
}
