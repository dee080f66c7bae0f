import { AwsError, invalidParameter } from "../errors";
import {
  effectiveScan,
  getImages,
  getRegistry,
  getRepositories,
  type Image,
  type Repository,
} from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import type { JsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { decodeToken, page, pageSize } from "./pagination";
import { enhancedFindings, basicFindings } from "./findings";

/** Amazon ECR (JSON 1.1): the read operations the collector makes. */

const NAME = /^(?=.{2,256}$)((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$/;

function registryOf(request: SandboxRequest): string {
  const registryId = request.input.registryId;
  if (registryId !== undefined && registryId !== request.caller.accountId) {
    if (typeof registryId !== "string" || !/^\d{12}$/.test(registryId)) {
      throw invalidParameter(`Invalid parameter at 'registryId' failed to satisfy constraint: 'must satisfy regular expression '[0-9]{12}''`);
    }
    throw new AwsError("AccessDeniedException", `User: ${request.caller.arn} is not authorized to perform: ecr:${request.operation} on resource: arn:aws:ecr:${request.region}:${registryId}:repository/* because no resource-based policy allows the ecr:${request.operation} action`);
  }
  return request.caller.accountId;
}

function repositoryName(value: unknown): string {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw invalidParameter(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`);
  }
  return value;
}

function findRepository(org: SandboxOrganization, request: SandboxRequest): Repository {
  const registryId = registryOf(request);
  const name = repositoryName(request.input.repositoryName);
  const repo = getRepositories(org, registryId, request.region).find((r) => r.name === name);
  if (!repo) {
    throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
  }
  return repo;
}

function describeRepository(repo: Repository) {
  return {
    repositoryArn: repo.arn,
    registryId: repo.accountId,
    repositoryName: repo.name,
    repositoryUri: repo.uri,
    createdAt: repo.createdAt,
    imageTagMutability: repo.imageTagMutability,
    ...(repo.imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters: repo.imageTagMutabilityExclusionFilters } : {}),
    imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
    encryptionConfiguration: { encryptionType: repo.encryptionType, ...(repo.kmsKey ? { kmsKey: repo.kmsKey } : {}) },
  };
}

function imageDetail(repo: Repository, image: Image) {
  return {
    registryId: repo.accountId,
    repositoryName: repo.name,
    imageDigest: image.digest,
    ...(image.tags.length ? { imageTags: image.tags } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    ...(image.scan
      ? {
          imageScanStatus: { status: image.scan.status, description: image.scan.status === "ACTIVE" ? "Continuous scan is selected for image." : "The scan was completed successfully." },
          imageScanFindingsSummary: {
            imageScanCompletedAt: image.scan.completedAt,
            vulnerabilitySourceUpdatedAt: image.scan.completedAt,
            findingSeverityCounts: image.scan.counts,
          },
        }
      : {}),
    imageManifestMediaType: image.manifestMediaType,
    ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
    ...(image.lastRecordedPullTime ? { lastRecordedPullTime: image.lastRecordedPullTime } : {}),
  };
}

type ImageId = { imageDigest?: string; imageTag?: string };

function findImage(images: Image[], id: ImageId): Image | undefined {
  if (id.imageDigest) return images.find((i) => i.digest === id.imageDigest && (!id.imageTag || i.tags.includes(id.imageTag)));
  if (id.imageTag) return images.find((i) => i.tags.includes(id.imageTag!));
  return undefined;
}

function manifestOf(image: Image) {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: image.manifestMediaType,
    config: {
      mediaType: image.manifestMediaType.includes("docker") ? "application/vnd.docker.container.image.v1+json" : (image.artifactMediaType ?? "application/vnd.oci.image.config.v1+json"),
      size: 1_870,
      digest: image.configDigest,
    },
    layers: image.layers.map((l) => ({ mediaType: image.manifestMediaType.includes("docker") ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : l.mediaType, size: l.size, digest: l.digest })),
  });
}

export function ecrService(org: SandboxOrganization): JsonService {
  return {
    protocol: "json",
    targetPrefix: "AmazonEC2ContainerRegistry_V20150921",
    operations: {
      DescribeRegistry(request) {
        const registryId = registryOf(request);
        const registry = getRegistry(org, registryId, request.region);
        return { registryId, replicationConfiguration: { rules: registry.replicationRules } };
      },
      GetRegistryScanningConfiguration(request) {
        const registryId = registryOf(request);
        const registry = getRegistry(org, registryId, request.region);
        return { registryId, scanningConfiguration: { scanType: registry.scanType, rules: registry.rules } };
      },
      GetRegistryPolicy(request) {
        const registryId = registryOf(request);
        const registry = getRegistry(org, registryId, request.region);
        if (!registry.policyText) throw new AwsError("RegistryPolicyNotFoundException", `Registry policy does not exist in the registry with id '${registryId}'`);
        return { registryId, policyText: registry.policyText };
      },
      DescribeRepositories(request) {
        const registryId = registryOf(request);
        const names = request.input.repositoryNames as unknown;
        const all = getRepositories(org, registryId, request.region);
        if (names !== undefined) {
          if (!Array.isArray(names) || names.length < 1 || names.length > 100) throw invalidParameter("Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must have length between 1 and 100'");
          if (request.input.maxResults !== undefined || request.input.nextToken !== undefined) {
            throw invalidParameter("You cannot use maxResults or nextToken when you specify repositoryNames.");
          }
          const found = names.map((n) => {
            const name = repositoryName(n);
            const repo = all.find((r) => r.name === name);
            if (!repo) throw new AwsError("RepositoryNotFoundException", `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
            return describeRepository(repo);
          });
          return { repositories: found };
        }
        const size = pageSize(request.input.maxResults, 1000, 100);
        const fingerprint = `repos/${registryId}/${request.region}`;
        const { items, nextToken } = page(all, decodeToken(request.input.nextToken, fingerprint), size, fingerprint);
        return { repositories: items.map(describeRepository), ...(nextToken ? { nextToken } : {}) };
      },
      BatchGetRepositoryScanningConfiguration(request) {
        const registryId = request.caller.accountId;
        const names = request.input.repositoryNames as unknown;
        if (!Array.isArray(names) || names.length < 1 || names.length > 25) {
          throw new AwsError("ValidationException", "1 validation error detected: Value at 'repositoryNames' failed to satisfy constraint: Member must have length less than or equal to 25");
        }
        const registry = getRegistry(org, registryId, request.region);
        const all = getRepositories(org, registryId, request.region);
        const scanningConfigurations: unknown[] = [];
        const failures: unknown[] = [];
        for (const n of names) {
          const name = repositoryName(n);
          const repo = all.find((r) => r.name === name);
          if (!repo) {
            failures.push({ repositoryName: name, failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND" });
            continue;
          }
          const scan = effectiveScan(registry, repo);
          scanningConfigurations.push({
            repositoryArn: repo.arn,
            repositoryName: repo.name,
            scanOnPush: scan.frequency !== "MANUAL",
            scanFrequency: scan.frequency,
            appliedScanFilters: scan.filters,
          });
        }
        return { scanningConfigurations, failures };
      },
      GetLifecyclePolicy(request) {
        const repo = findRepository(org, request);
        if (!repo.lifecyclePolicyText) {
          throw new AwsError("LifecyclePolicyNotFoundException", `Lifecycle policy does not exist for the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`);
        }
        return { registryId: repo.accountId, repositoryName: repo.name, lifecyclePolicyText: repo.lifecyclePolicyText, lastEvaluatedAt: new Date(org.now.getTime() - 3_600_000) };
      },
      GetRepositoryPolicy(request) {
        const repo = findRepository(org, request);
        if (!repo.repositoryPolicyText) {
          throw new AwsError("RepositoryPolicyNotFoundException", `Repository policy does not exist for the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`);
        }
        return { registryId: repo.accountId, repositoryName: repo.name, policyText: repo.repositoryPolicyText };
      },
      ListTagsForResource(request) {
        const arn = String(request.input.resourceArn ?? "");
        const match = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/.exec(arn);
        if (!match) throw invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
        if (match[1] !== request.region || match[2] !== request.caller.accountId) throw invalidParameter(`Invalid parameter at 'resourceArn': the ARN is not in this account and region`);
        const repo = getRepositories(org, match[2], match[1]).find((r) => r.name === match[3]);
        if (!repo) throw new AwsError("RepositoryNotFoundException", `The repository with name '${match[3]}' does not exist in the registry with id '${match[2]}'`);
        return { tags: repo.tags };
      },
      DescribeImages(request) {
        const repo = findRepository(org, request);
        let images = getImages(org, repo);
        const ids = request.input.imageIds as ImageId[] | undefined;
        if (ids !== undefined) {
          if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
          return {
            imageDetails: ids.map((id) => {
              const image = findImage(images, id);
              if (!image) throw new AwsError("ImageNotFoundException", `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`);
              return imageDetail(repo, image);
            }),
          };
        }
        const tagStatus = (request.input.filter as { tagStatus?: string } | undefined)?.tagStatus;
        if (tagStatus !== undefined && !["TAGGED", "UNTAGGED", "ANY"].includes(tagStatus)) throw invalidParameter("Invalid parameter at 'filter.tagStatus'");
        if (tagStatus === "TAGGED") images = images.filter((i) => i.tags.length > 0);
        if (tagStatus === "UNTAGGED") images = images.filter((i) => i.tags.length === 0);
        const size = pageSize(request.input.maxResults, 1000, 100);
        const fingerprint = `images/${repo.arn}/${tagStatus ?? "ANY"}`;
        const { items, nextToken } = page(images, decodeToken(request.input.nextToken, fingerprint), size, fingerprint);
        return { imageDetails: items.map((i) => imageDetail(repo, i)), ...(nextToken ? { nextToken } : {}) };
      },
      DescribeImageScanFindings(request) {
        const repo = findRepository(org, request);
        const id = (request.input.imageId ?? {}) as ImageId;
        const image = findImage(getImages(org, repo), id);
        if (!image) throw new AwsError("ImageNotFoundException", `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist within the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`);
        if (!image.scan) throw new AwsError("ScanNotFoundException", `Image scan does not exist for the image with '{imageDigest:'${image.digest}', imageTag:'${image.tags[0] ?? "null"}'}' in the repository with name '${repo.name}' in the registry with id '${repo.accountId}'`);
        const registry = getRegistry(org, repo.accountId, repo.region);
        const enhanced = registry.scanType === "ENHANCED";
        const all: unknown[] = enhanced ? enhancedFindings(org, repo, image) : basicFindings(org, repo, image);
        const size = pageSize(request.input.maxResults, 1000, 100);
        const fingerprint = `findings/${image.digest}`;
        const { items, nextToken } = page(all, decodeToken(request.input.nextToken, fingerprint), size, fingerprint);
        return {
          registryId: repo.accountId,
          repositoryName: repo.name,
          imageId: { imageDigest: image.digest, ...(image.tags[0] ? { imageTag: image.tags[0] } : {}) },
          imageScanStatus: { status: image.scan.status, description: "The scan was completed successfully." },
          imageScanFindings: {
            imageScanCompletedAt: image.scan.completedAt,
            vulnerabilitySourceUpdatedAt: image.scan.completedAt,
            findingSeverityCounts: image.scan.counts,
            ...(enhanced ? { enhancedFindings: items } : { findings: items }),
          },
          ...(nextToken ? { nextToken } : {}),
        };
      },
      BatchGetImage(request) {
        const repo = findRepository(org, request);
        const ids = request.input.imageIds as ImageId[] | undefined;
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must have length between 1 and 100'");
        const images = getImages(org, repo);
        const found: unknown[] = [];
        const failures: unknown[] = [];
        for (const id of ids) {
          const image = findImage(images, id);
          if (!image) {
            failures.push({ imageId: id, failureCode: id.imageTag && !id.imageDigest ? "ImageTagDoesNotMatchDigest" : "ImageNotFound", failureReason: "Requested image not found" });
            continue;
          }
          found.push({ registryId: repo.accountId, repositoryName: repo.name, imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) }, imageManifest: manifestOf(image), imageManifestMediaType: image.manifestMediaType });
        }
        return { images: found, failures };
      },
      DescribePullThroughCacheRules(request) {
        const registryId = registryOf(request);
        const rules = getRegistry(org, registryId, request.region).pullThroughCacheRules.map((r) => ({ ...r, registryId }));
        const size = pageSize(request.input.maxResults, 1000, 100);
        const fingerprint = `ptc/${registryId}/${request.region}`;
        const { items, nextToken } = page(rules, decodeToken(request.input.nextToken, fingerprint), size, fingerprint);
        return { pullThroughCacheRules: items, ...(nextToken ? { nextToken } : {}) };
      },
      GetAccountSetting(request) {
        const name = request.input.name;
        if (name === "BASIC_SCAN_TYPE_VERSION") return { name, value: "AWS_NATIVE" };
        if (name === "REGISTRY_POLICY_SCOPE") return { name, value: "V2" };
        throw new AwsError("ValidationException", `Invalid account setting name: ${String(name)}`);
      },
    },
  };
}
