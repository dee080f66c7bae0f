import { createHash } from "node:crypto";
import { AwsError } from "../errors";
import { effectiveScan, getImages, getRegistry, getRepositories, type Image, type Registry, type Repository } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import type { RestJsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { rngFor } from "../rng";
import { enhancedFindings } from "./findings";
import { decodeToken, page, pageSize } from "./pagination";

/**
 * Amazon Inspector (REST JSON): findings, coverage and account status for ECR images.
 *
 * Inspector scans a registry's images only when the registry's scan type is ENHANCED, so only
 * those registries have findings and coverage, and only they report ECR scanning ENABLED. The
 * findings are those ECR's enhanced DescribeImageScanFindings returns (services/findings.ts),
 * reshaped as Inspector's Finding; coverage follows each repository's effective scan frequency:
 * ACTIVE for continuous scanning, INACTIVE with the frequency as reason otherwise.
 */

const validation = (message: string) => new AwsError("ValidationException", message, 400);

// -- generation -----------------------------------------------------------------------------

type Finding = ReturnType<typeof toInspectorFinding>;

function toInspectorFinding(f: ReturnType<typeof enhancedFindings>[number], repo: Repository, image: Image) {
  const cvss = f.packageVulnerabilityDetails.cvss[0];
  return {
    findingArn: f.findingArn,
    awsAccountId: f.awsAccountId,
    type: f.type,
    description: f.description,
    remediation: f.remediation,
    // Inspector has no UNDEFINED severity: an unscored vulnerability is UNTRIAGED.
    severity: f.severity === "UNDEFINED" ? "UNTRIAGED" : f.severity,
    firstObservedAt: f.firstObservedAt,
    lastObservedAt: f.lastObservedAt,
    status: f.status,
    resources: [
      {
        type: "AWS_ECR_CONTAINER_IMAGE",
        id: f.resources[0].id,
        partition: "aws",
        region: repo.region,
        details: {
          awsEcrContainerImage: {
            repositoryName: repo.name,
            imageHash: image.digest,
            registry: repo.accountId,
            ...(image.tags.length ? { imageTags: image.tags } : {}),
            pushedAt: image.pushedAt,
            architecture: "amd64",
            ...(image.lastRecordedPullTime ? { lastInUseAt: image.lastRecordedPullTime } : {}),
          },
        },
      },
    ],
    title: f.title,
    updatedAt: f.updatedAt,
    inspectorScore: f.score,
    inspectorScoreDetails: { adjustedCvss: { scoreSource: cvss.source, cvssSource: cvss.source, version: cvss.version, score: cvss.baseScore, scoringVector: cvss.scoringVector, adjustments: [] } },
    packageVulnerabilityDetails: { ...f.packageVulnerabilityDetails, relatedVulnerabilities: [] },
    fixAvailable: f.fixAvailable,
    exploitAvailable: "NO",
  };
}

/** The repositories Inspector sees: every repository of an ENHANCED registry (none of a BASIC one). */
function scannedRepositories(org: SandboxOrganization, accountId: string, region: string): { registry: Registry; repos: Repository[] } {
  const registry = getRegistry(org, accountId, region);
  return { registry, repos: registry.scanType === "ENHANCED" ? getRepositories(org, accountId, region) : [] };
}

function findingsOf(org: SandboxOrganization, accountId: string, region: string, repoNames?: Set<string>): Finding[] {
  const out: Finding[] = [];
  for (const repo of scannedRepositories(org, accountId, region).repos) {
    if (repoNames && !repoNames.has(repo.name)) continue;
    for (const image of getImages(org, repo)) {
      if (!image.scan) continue;
      for (const f of enhancedFindings(org, repo, image)) out.push(toInspectorFinding(f, repo, image));
    }
  }
  return out;
}

const IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

function coverageOf(org: SandboxOrganization, accountId: string, region: string) {
  const { registry, repos } = scannedRepositories(org, accountId, region);
  const out = [];
  for (const repo of repos) {
    const { frequency } = effectiveScan(registry, repo);
    const status =
      frequency === "CONTINUOUS_SCAN"
        ? { statusCode: "ACTIVE", reason: "SUCCESSFUL" }
        : { statusCode: "INACTIVE", reason: frequency === "SCAN_ON_PUSH" ? "SCAN_FREQUENCY_SCAN_ON_PUSH" : "SCAN_FREQUENCY_MANUAL" };
    const ecrRepository = { name: repo.name, scanFrequency: frequency };
    out.push({ resourceType: "AWS_ECR_REPOSITORY", resourceId: repo.arn, accountId, scanType: "PACKAGE", scanStatus: status, resourceMetadata: { ecrRepository } });
    for (const image of getImages(org, repo)) {
      // Signatures and other non-image artifacts are not scannable.
      const imageStatus = image.artifactMediaType && image.artifactMediaType !== IMAGE_CONFIG ? { statusCode: "INACTIVE", reason: "UNSUPPORTED_MEDIA_TYPE" } : status;
      out.push({
        resourceType: "AWS_ECR_CONTAINER_IMAGE",
        resourceId: `${repo.arn}/${image.digest}`,
        accountId,
        scanType: "PACKAGE",
        scanStatus: imageStatus,
        resourceMetadata: {
          ecrRepository,
          ecrImage: { tags: image.tags, ...(image.lastRecordedPullTime ? { imagePulledAt: image.lastRecordedPullTime } : {}) },
        },
        ...(image.scan?.completedAt ? { lastScannedAt: image.scan.completedAt } : {}),
      });
    }
  }
  return out;
}

type Coverage = ReturnType<typeof coverageOf>[number];

// -- filters --------------------------------------------------------------------------------

interface StringFilter {
  comparison: string;
  value: string;
}

function stringFilters(path: string, value: unknown, comparisons: readonly string[]): StringFilter[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have length between 1 and 10`);
  }
  return value.map((f: unknown, i) => {
    const { comparison, value: v } = (f ?? {}) as Record<string, unknown>;
    if (typeof comparison !== "string" || !comparisons.includes(comparison)) {
      throw validation(`1 validation error detected: Value '${String(comparison)}' at '${path}.${i + 1}.member.comparison' failed to satisfy constraint: Member must satisfy enum value set: [${comparisons.join(", ")}]`);
    }
    if (typeof v !== "string" || v.length < 1 || v.length > 1024) {
      throw validation(`1 validation error detected: Value at '${path}.${i + 1}.member.value' failed to satisfy constraint: Member must have length between 1 and 1024`);
    }
    return { comparison, value: v };
  });
}

/** Inspector's semantics: EQUALS/PREFIX filters on one field are ORed, NOT_EQUALS ones must all hold. */
function matchesStrings(actual: string[], filters: StringFilter[]): boolean {
  const positive = filters.filter((f) => f.comparison !== "NOT_EQUALS");
  const negative = filters.filter((f) => f.comparison === "NOT_EQUALS");
  const hit = (f: StringFilter) => actual.some((a) => (f.comparison === "PREFIX" ? a.startsWith(f.value) : a === f.value));
  return (positive.length === 0 || positive.some(hit)) && !negative.some(hit);
}

function rangeFilters(path: string, value: unknown, low: string, high: string): { low?: number; high?: number }[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) {
    throw validation(`1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must have length between 1 and 10`);
  }
  return value.map((f: unknown) => {
    const r = (f ?? {}) as Record<string, unknown>;
    for (const key of [low, high]) {
      if (r[key] !== undefined && typeof r[key] !== "number") throw validation(`Value at '${path}.member.${key}' must be a number`);
    }
    return { low: r[low] as number | undefined, high: r[high] as number | undefined };
  });
}

const inRanges = (actual: number | undefined, ranges: { low?: number; high?: number }[]) =>
  actual !== undefined && ranges.some((r) => (r.low === undefined || actual >= r.low) && (r.high === undefined || actual <= r.high));

/** Dates compare in epoch seconds, as the wire carries them. */
const seconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

const FINDING_STRINGS: Record<string, (f: Finding) => string[]> = {
  findingArn: (f) => [f.findingArn],
  awsAccountId: (f) => [f.awsAccountId],
  findingType: (f) => [f.type],
  severity: (f) => [f.severity],
  findingStatus: (f) => [f.status],
  title: (f) => [f.title],
  resourceType: (f) => [f.resources[0].type],
  resourceId: (f) => [f.resources[0].id],
  ecrImageRegistry: (f) => [f.resources[0].details.awsEcrContainerImage.registry],
  ecrImageRepositoryName: (f) => [f.resources[0].details.awsEcrContainerImage.repositoryName],
  ecrImageTags: (f) => f.resources[0].details.awsEcrContainerImage.imageTags ?? [],
  ecrImageHash: (f) => [f.resources[0].details.awsEcrContainerImage.imageHash],
  ecrImageArchitecture: (f) => [f.resources[0].details.awsEcrContainerImage.architecture],
  vulnerabilityId: (f) => [f.packageVulnerabilityDetails.vulnerabilityId],
  vulnerabilitySource: (f) => [f.packageVulnerabilityDetails.source],
  vendorSeverity: (f) => [f.packageVulnerabilityDetails.vendorSeverity],
  fixAvailable: (f) => [f.fixAvailable],
  exploitAvailable: (f) => [f.exploitAvailable],
};
const FINDING_DATES: Record<string, (f: Finding) => Date | undefined> = {
  firstObservedAt: (f) => f.firstObservedAt,
  lastObservedAt: (f) => f.lastObservedAt,
  updatedAt: (f) => f.updatedAt,
  ecrImagePushedAt: (f) => f.resources[0].details.awsEcrContainerImage.pushedAt,
};
const FINDING_NUMBERS: Record<string, (f: Finding) => number | undefined> = {
  inspectorScore: (f) => f.inspectorScore,
};

function objectInput(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw validation(`Value at '${path}' must be an object`);
  return value as Record<string, unknown>;
}

function findingPredicate(criteria: Record<string, unknown>): { predicate: (f: Finding) => boolean; repoNames?: Set<string> } {
  const tests: ((f: Finding) => boolean)[] = [];
  let repoNames: Set<string> | undefined;
  for (const [field, value] of Object.entries(criteria)) {
    const path = `filterCriteria.${field}`;
    if (FINDING_STRINGS[field]) {
      const filters = stringFilters(path, value, ["EQUALS", "PREFIX", "NOT_EQUALS"]);
      tests.push((f) => matchesStrings(FINDING_STRINGS[field](f), filters));
      // Only EQUALS filters narrow the repositories worth generating findings for.
      if (field === "ecrImageRepositoryName" && filters.every((s) => s.comparison === "EQUALS")) repoNames = new Set(filters.map((s) => s.value));
    } else if (FINDING_DATES[field]) {
      const ranges = rangeFilters(path, value, "startInclusive", "endInclusive");
      tests.push((f) => inRanges(seconds(FINDING_DATES[field](f)), ranges));
    } else if (FINDING_NUMBERS[field]) {
      const ranges = rangeFilters(path, value, "lowerInclusive", "upperInclusive");
      tests.push((f) => inRanges(FINDING_NUMBERS[field](f), ranges));
    } else {
      // A real field the sandbox does not model (EC2, Lambda, code, network): refused rather than silently ignored.
      throw validation(`The sandbox does not support the filter '${path}'`);
    }
  }
  return { predicate: (f) => tests.every((t) => t(f)), ...(repoNames ? { repoNames } : {}) };
}

const SEVERITY_RANK: Record<string, number> = { INFORMATIONAL: 0, UNTRIAGED: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };
const SORT_KEYS: Record<string, (f: Finding) => string | number | undefined> = {
  AWS_ACCOUNT_ID: (f) => f.awsAccountId,
  COMPONENT_TYPE: () => undefined,
  ECR_IMAGE_PUSHED_AT: (f) => f.resources[0].details.awsEcrContainerImage.pushedAt.getTime(),
  ECR_IMAGE_REGISTRY: (f) => f.resources[0].details.awsEcrContainerImage.registry,
  ECR_IMAGE_REPOSITORY_NAME: (f) => f.resources[0].details.awsEcrContainerImage.repositoryName,
  EPSS_SCORE: () => undefined,
  FINDING_STATUS: (f) => f.status,
  FINDING_TYPE: (f) => f.type,
  FIRST_OBSERVED_AT: (f) => f.firstObservedAt.getTime(),
  INSPECTOR_SCORE: (f) => f.inspectorScore,
  LAST_OBSERVED_AT: (f) => f.lastObservedAt.getTime(),
  NETWORK_PROTOCOL: () => undefined,
  RESOURCE_TYPE: (f) => f.resources[0].type,
  SEVERITY: (f) => SEVERITY_RANK[f.severity],
  VENDOR_SEVERITY: (f) => f.packageVulnerabilityDetails.vendorSeverity,
  VULNERABILITY_ID: (f) => f.packageVulnerabilityDetails.vulnerabilityId,
  VULNERABILITY_SOURCE: (f) => f.packageVulnerabilityDetails.source,
};

function sortFindings(findings: Finding[], sortCriteria: unknown): Finding[] {
  if (sortCriteria === undefined || sortCriteria === null) return findings;
  const { field, sortOrder } = objectInput(sortCriteria, "sortCriteria");
  if (typeof field !== "string" || !SORT_KEYS[field]) {
    throw validation(`1 validation error detected: Value '${String(field)}' at 'sortCriteria.field' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(SORT_KEYS).join(", ")}]`);
  }
  if (sortOrder !== "ASC" && sortOrder !== "DESC") {
    throw validation(`1 validation error detected: Value '${String(sortOrder)}' at 'sortCriteria.sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASC, DESC]`);
  }
  const key = SORT_KEYS[field];
  const sign = sortOrder === "ASC" ? 1 : -1;
  // Array.prototype.sort is stable: ties keep the generation order, so pages never reshuffle.
  return [...findings].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
}

const COVERAGE_STRINGS: Record<string, (c: Coverage) => string[]> = {
  scanStatusCode: (c) => [c.scanStatus.statusCode],
  scanStatusReason: (c) => [c.scanStatus.reason],
  accountId: (c) => [c.accountId],
  resourceId: (c) => [c.resourceId],
  resourceType: (c) => [c.resourceType],
  scanType: (c) => [c.scanType],
  ecrRepositoryName: (c) => [c.resourceMetadata.ecrRepository.name],
  ecrImageTags: (c) => ("ecrImage" in c.resourceMetadata ? (c.resourceMetadata.ecrImage?.tags ?? []) : []),
};

function coveragePredicate(criteria: Record<string, unknown>): (c: Coverage) => boolean {
  const tests: ((c: Coverage) => boolean)[] = [];
  for (const [field, value] of Object.entries(criteria)) {
    if (!COVERAGE_STRINGS[field]) throw validation(`The sandbox does not support the filter 'filterCriteria.${field}'`);
    const filters = stringFilters(`filterCriteria.${field}`, value, ["EQUALS", "NOT_EQUALS"]);
    tests.push((c) => matchesStrings(COVERAGE_STRINGS[field](c), filters));
  }
  return (c) => tests.every((t) => t(c));
}

/** A page token is bound to the caller, region and the exact filters it was issued for. */
function fingerprintOf(request: SandboxRequest, ...parts: unknown[]): string {
  return createHash("sha256")
    .update(JSON.stringify([request.operation, request.caller.accountId, request.region, ...parts]))
    .digest("hex")
    .slice(0, 16);
}

function maxResultsOf(request: SandboxRequest, max: number, fallback: number): number {
  const value = request.input.maxResults;
  if (value !== undefined && typeof value !== "number") throw validation("Value at 'maxResults' must be an integer");
  return pageSize(value, max, fallback, "ValidationException");
}

// -- account status -------------------------------------------------------------------------

function accountState(org: SandboxOrganization, accountId: string, region: string) {
  const ecr = getRegistry(org, accountId, region).scanType === "ENHANCED";
  // EC2 scanning is independent of ECR's: some accounts turned Inspector on for instances only.
  const ec2 = rngFor(org.options.seed, "inspector2-ec2", accountId, region).chance(ecr ? 0.6 : 0.25);
  // ALREADY_ENABLED is how Inspector reports a settled ENABLED state; a DISABLED one carries no error.
  const state = (on: boolean) => (on ? { status: "ENABLED", errorCode: "ALREADY_ENABLED", errorMessage: "" } : { status: "DISABLED" });
  return {
    accountId,
    state: state(ecr || ec2),
    resourceState: { ec2: state(ec2), ecr: state(ecr), lambda: state(false), lambdaCode: state(false), codeRepository: state(false) },
  };
}

export function inspector2Service(org: SandboxOrganization): RestJsonService {
  return {
    protocol: "rest-json",
    routes: [
      { method: "POST", path: "/findings/list", operation: "ListFindings" },
      { method: "POST", path: "/coverage/list", operation: "ListCoverage" },
      { method: "POST", path: "/status/batch/get", operation: "BatchGetAccountStatus" },
    ],
    operations: {
      ListFindings(request) {
        const size = maxResultsOf(request, 100, 50);
        const criteria = objectInput(request.input.filterCriteria, "filterCriteria");
        const { predicate, repoNames } = findingPredicate(criteria);
        const fingerprint = fingerprintOf(request, criteria, request.input.sortCriteria ?? null);
        const offset = decodeToken(request.input.nextToken, fingerprint, "ValidationException");
        const all = sortFindings(findingsOf(org, request.caller.accountId, request.region, repoNames).filter(predicate), request.input.sortCriteria);
        const { items, nextToken } = page(all, offset, size, fingerprint);
        return { findings: items, ...(nextToken ? { nextToken } : {}) };
      },
      ListCoverage(request) {
        const size = maxResultsOf(request, 200, 100);
        const criteria = objectInput(request.input.filterCriteria, "filterCriteria");
        const predicate = coveragePredicate(criteria);
        const fingerprint = fingerprintOf(request, criteria);
        const offset = decodeToken(request.input.nextToken, fingerprint, "ValidationException");
        const all = coverageOf(org, request.caller.accountId, request.region).filter(predicate);
        const { items, nextToken } = page(all, offset, size, fingerprint);
        return { coveredResources: items, ...(nextToken ? { nextToken } : {}) };
      },
      BatchGetAccountStatus(request) {
        const ids = request.input.accountIds;
        if (ids !== undefined && (!Array.isArray(ids) || ids.length > 10)) {
          throw validation("1 validation error detected: Value at 'accountIds' failed to satisfy constraint: Member must have length less than or equal to 10");
        }
        const requested = (ids as unknown[] | undefined)?.length ? (ids as unknown[]) : [request.caller.accountId];
        const accounts = [];
        const failedAccounts = [];
        for (const [i, id] of requested.entries()) {
          if (typeof id !== "string" || !/^\d{12}$/.test(id)) {
            throw validation(`1 validation error detected: Value '${String(id)}' at 'accountIds.${i + 1}.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}`);
          }
          // Only a delegated administrator reads other accounts; the sandbox's callers never are one.
          if (id !== request.caller.accountId) {
            failedAccounts.push({ accountId: id, errorCode: "ACCESS_DENIED", errorMessage: `The caller is not the delegated administrator of account ${id}` });
            continue;
          }
          accounts.push(accountState(org, id, request.region));
        }
        return { accounts, failedAccounts };
      },
    },
  };
}
