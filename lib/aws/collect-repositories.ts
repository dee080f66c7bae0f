import {
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-ecr";
import { callAws, nullWhen, recordFailure, type RegionContext, tryCall } from "./clients";
import { filtersOf } from "./collect-registry";
import { AwsCallError, classifyAwsError } from "./errors";
import type { RepositoryRecord } from "./types";

/** The repositories of a registry and each one's own settings: scanning, lifecycle, policy, tags. */

/** BatchGetRepositoryScanningConfiguration takes at most 25 names a call. */
export const SCANNING_BATCH = 25;

const NO_LIFECYCLE = ["LifecyclePolicyNotFoundException"];
const NO_POLICY = ["RepositoryPolicyNotFoundException"];

/** Every repository of the registry (all pages). A failure here fails the whole target: it throws. */
export async function listRepositories(ctx: RegionContext, ecr: ECRClient): Promise<RepositoryRecord[]> {
  const out: RepositoryRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws(ctx, "ecr", "DescribeRepositories", undefined, (o) => ecr.send(new DescribeRepositoriesCommand({ maxResults: 1000, nextToken }), o));
    for (const r of page.repositories ?? []) {
      if (!r.repositoryArn || !r.repositoryName) continue;
      out.push({
        arn: r.repositoryArn,
        accountId: r.registryId ?? ctx.accountId,
        region: ctx.region,
        name: r.repositoryName,
        uri: r.repositoryUri ?? "",
        createdAt: r.createdAt ?? new Date(0),
        imageTagMutability: r.imageTagMutability ?? "MUTABLE",
        tagMutabilityExclusions: r.imageTagMutabilityExclusionFilters ? filtersOf(r.imageTagMutabilityExclusionFilters) : null,
        scanOnPush: r.imageScanningConfiguration?.scanOnPush ?? false,
        // ECR's default when a repository was created without an encryption configuration.
        encryptionType: r.encryptionConfiguration?.encryptionType ?? "AES256",
        kmsKey: r.encryptionConfiguration?.kmsKey ?? null,
        scanFrequency: null,
        appliedScanFilters: null,
        lifecyclePolicy: null,
        repositoryPolicy: null,
        tags: null,
        errors: {},
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Each repository's effective scan frequency, 25 names a call; a per-repository failure is recorded on it. */
export async function collectScanningConfigurations(ctx: RegionContext, ecr: ECRClient, repositories: RepositoryRecord[]): Promise<void> {
  const byName = new Map(repositories.map((r) => [r.name, r]));
  const chunks: RepositoryRecord[][] = [];
  for (let i = 0; i < repositories.length; i += SCANNING_BATCH) chunks.push(repositories.slice(i, i + SCANNING_BATCH));
  await Promise.all(
    chunks.map(async (chunk) => {
      const operation = "BatchGetRepositoryScanningConfiguration";
      try {
        const out = await callAws(ctx, "ecr", operation, undefined, (o) => ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: chunk.map((r) => r.name) }), o));
        for (const c of out.scanningConfigurations ?? []) {
          const repo = c.repositoryName ? byName.get(c.repositoryName) : undefined;
          if (!repo) continue;
          repo.scanFrequency = c.scanFrequency ?? null;
          repo.appliedScanFilters = filtersOf(c.appliedScanFilters);
        }
        for (const f of out.failures ?? []) {
          const repo = f.repositoryName ? byName.get(f.repositoryName) : undefined;
          if (!repo) continue;
          const errorName = f.failureCode ?? "UnknownFailure";
          recordFailure(ctx, repo.errors, {
            accountId: ctx.accountId,
            region: ctx.region,
            service: "ecr",
            operation,
            resource: repo.arn,
            errorName,
            message: f.failureReason ?? errorName,
            kind: errorName === "REPOSITORY_NOT_FOUND" ? "not-found" : classifyAwsError(errorName, undefined, "ecr"),
          });
        }
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error;
        // The whole chunk is unknown: each of its repositories says so.
        for (const repo of chunk) recordFailure(ctx, repo.errors, { ...error.failure, resource: repo.arn });
      }
    }),
  );
}

/** The repository's lifecycle policy, repository policy and tags; "not configured" is null without a failure. */
export async function collectRepositorySettings(ctx: RegionContext, ecr: ECRClient, repo: RepositoryRecord): Promise<void> {
  const { name: repositoryName, arn } = repo;
  const lifecycle = await tryCall(ctx, repo.errors, () =>
    nullWhen(NO_LIFECYCLE, () =>
      callAws(ctx, "ecr", "GetLifecyclePolicy", arn, (o) => ecr.send(new GetLifecyclePolicyCommand({ repositoryName }), o), { expected: NO_LIFECYCLE }),
    ),
  );
  repo.lifecyclePolicy = lifecycle?.lifecyclePolicyText ?? null;
  const policy = await tryCall(ctx, repo.errors, () =>
    nullWhen(NO_POLICY, () => callAws(ctx, "ecr", "GetRepositoryPolicy", arn, (o) => ecr.send(new GetRepositoryPolicyCommand({ repositoryName }), o), { expected: NO_POLICY })),
  );
  repo.repositoryPolicy = policy?.policyText ?? null;
  const tags = await tryCall(ctx, repo.errors, () => callAws(ctx, "ecr", "ListTagsForResource", arn, (o) => ecr.send(new ListTagsForResourceCommand({ resourceArn: arn }), o)));
  repo.tags = tags ? (tags.tags ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" })) : null;
}
