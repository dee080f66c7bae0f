import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { KMSClient } from "@aws-sdk/client-kms";
import { type CreateClientOptions, createClient, type RegionContext } from "./clients";
import { collectImageFindings } from "./collect-findings";
import { collectImages, collectManifests, type ManifestAccess } from "./collect-images";
import { collectKmsKeys } from "./collect-kms";
import { collectRegionServices } from "./collect-region-services";
import { collectRegistry } from "./collect-registry";
import { collectRepositorySettings, collectScanningConfigurations, listRepositories } from "./collect-repositories";
import { AwsCallError, toAwsFailure } from "./errors";
import { latestScannableImage } from "@/lib/latest-image";
import { limit } from "./rate-limit";
import type { AwsFailure, CallStats, ImageFindingsRecord, ImageRecord, KmsKeyRecord, LayerRecord, RegionServicesRecord, RegistryRecord, RepositoryRecord } from "./types";

/**
 * Everything Portwatch reads about one account x region, read-only. The whole target fails (an
 * AwsCallError is thrown, nothing invented) when the role cannot be assumed, the region is not
 * enabled, or the repositories cannot be listed; any other call's failure is recorded on the
 * record it concerns (its `errors`, by operation) and in `failures`, and the field stays null.
 */

export interface RepositoryCollection {
  repository: RepositoryRecord;
  images: ImageRecord[] | null;
  findings: ImageFindingsRecord | null;
}

export interface RegionCollection {
  registry: RegistryRecord;
  repositories: RepositoryCollection[];
  kmsKeys: KmsKeyRecord[];
  services: RegionServicesRecord;
  failures: AwsFailure[];
  stats: CallStats;
}

/**
 * What an earlier collection already knows and cannot have changed since: a manifest is fixed by
 * its digest, and a scan's findings by the image digest, the scan's completion time and its
 * severity counts. Calls for those are skipped, which is most of a re-collection's calls.
 */
export interface KnownContent {
  layers(repositoryArn: string, digest: string): LayerRecord[] | undefined;
  findings(repositoryArn: string, latest: ImageRecord): ImageFindingsRecord | undefined;
}

export interface CollectRegionOptions {
  /** Read image manifests (BatchGetImage) for layer sizes; default true. */
  readManifests?: boolean;
  known?: KnownContent;
  signal?: AbortSignal;
}

/** Resolves a credentials provider once up front, so a failed AssumeRole fails the target before any ECR call. */
async function checkCredentials(ctx: RegionContext): Promise<void> {
  if (typeof ctx.credentials !== "function") return;
  try {
    await ctx.credentials();
  } catch (error) {
    throw error instanceof AwsCallError
      ? error
      : new AwsCallError(toAwsFailure(error, { accountId: ctx.accountId, region: ctx.region, service: "sts", operation: "AssumeRole" }));
  }
}

export async function collectRegion(context: RegionContext, options: CollectRegionOptions = {}): Promise<RegionCollection> {
  const ctx: RegionContext = { ...context, signal: options.signal ?? context.signal };
  const readManifests = options.readManifests ?? true;
  await checkCredentials(ctx);

  const config: CreateClientOptions = { ...ctx.client, region: ctx.region, credentials: ctx.credentials, stats: ctx.stats };
  const ecr = createClient(ECRClient, config);
  const kms = createClient(KMSClient, config);
  const cloudtrail = createClient(CloudTrailClient, config);
  const ec2 = createClient(EC2Client, config);
  const guardduty = createClient(GuardDutyClient, config);
  const inspector = createClient(Inspector2Client, config);
  try {
    // First, and fatal: a disabled region or a missing ecr:DescribeRepositories ends here.
    const repositories = await listRepositories(ctx, ecr);

    const registryPromise = collectRegistry(ctx, ecr);
    const scanningPromise = collectScanningConfigurations(ctx, ecr, repositories);
    const kmsPromise = collectKmsKeys(ctx, kms, repositories);
    const servicesPromise = registryPromise.then((registry) => collectRegionServices(ctx, { cloudtrail, guardduty, ec2, inspector }, { enhanced: registry.scanType === "ENHANCED" }));

    const run = limit(ctx.concurrency);
    const manifests: ManifestAccess = { denied: false };
    const collections = Promise.all(
      repositories.map((repository) =>
        run(async (): Promise<RepositoryCollection> => {
          await collectRepositorySettings(ctx, ecr, repository);
          const images = await collectImages(ctx, ecr, repository);
          let findings: ImageFindingsRecord | null = null;
          const latest = images ? latestScannableImage(images) : null;
          if (latest?.scanStatus) {
            findings = options.known?.findings(repository.arn, latest) ?? null;
            if (!findings) {
              const { scanType } = await registryPromise;
              findings = await collectImageFindings(ctx, { ecr, inspector }, repository, latest, scanType);
            }
          }
          if (images && readManifests) {
            const unread = images.filter((image) => {
              const layers = options.known?.layers(repository.arn, image.digest);
              if (layers) image.layers = layers;
              return !layers;
            });
            await collectManifests(ctx, ecr, repository, unread, manifests);
          }
          return { repository, images, findings };
        }),
      ),
    );

    const [registry, , kmsKeys, services, repositoryCollections] = await Promise.all([registryPromise, scanningPromise, kmsPromise, servicesPromise, collections]);
    return { registry, repositories: repositoryCollections, kmsKeys, services, failures: ctx.failures, stats: ctx.stats };
  } finally {
    for (const client of [ecr, kms, cloudtrail, ec2, guardduty, inspector]) client.destroy();
  }
}
