import {
  type CheckContext,
  type CheckId,
  type ComplianceSettings,
  DEFAULT_COMPLIANCE_SETTINGS,
  type ImageFacts,
  type KmsKeyFacts,
  type LayerFacts,
  type ReadError,
  type ReadErrors,
  type RegistryFacts,
  type RepositoryFacts,
  type ScanRule,
  type TrailFacts,
} from "../types";

/**
 * For tests only. The checks' table tests build their facts here: plain defaults (one repository,
 * team/orders-api, in a BASIC us-east-1 registry of account 111122223333, with nothing configured
 * and nothing failed) and a fixed as-of time; a test names what its cases depend on as overrides.
 */

/** Every CheckId (the remediation and framework tests): the Record type makes a missing or unknown id a type error. */
export const CHECK_IDS: Record<CheckId, true> = {
  "scan-configured": true,
  "tag-immutability": true,
  "lifecycle-present": true,
  "lifecycle-cost-rules": true,
  "kms-encryption": true,
  "cmk-encryption": true,
  "key-rotation": true,
  "policy-not-public": true,
  "cross-account-trusted": true,
  "latest-image-vulns": true,
  "continuous-scanning": true,
  "trail-logging": true,
  "guardduty-enabled": true,
  "vpc-endpoints": true,
  "tls-in-transit": true,
  "image-size": true,
  "stale-images": true,
  "cross-region-transfer": true,
  "selective-replication": true,
  "scan-cost-by-environment": true,
};

/** The as-of time of every check test. */
export const NOW = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
export const GIB = 1024 ** 3;
export const ACCOUNT = "111122223333";
const REGION = "us-east-1";
export const CMK = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** The AWS managed aws/ecr key of the account, and a key of an account outside the organisation. */
export const AWS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/aaaa0000-0000-4000-8000-000000000000`;
export const OTHER_ACCOUNT_KEY = `arn:aws:kms:${REGION}:999988887777:key/bbbb1111-0000-4000-8000-000000000000`;
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
export const COSIGN_SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";

/** `days` (fractions allowed) before NOW. */
export const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY);

/** A `sha256:` digest of 64 times `fill` ("1" -> sha256:111...). */
export const digestOf = (fill: string | number): string => `sha256:${String(fill).repeat(64)}`;

/** The default settings with `settings` over them; organisation and environments empty unless given. */
export function checkContext({ settings = {}, ...overrides }: Partial<Omit<CheckContext, "settings">> & { settings?: Partial<ComplianceSettings> } = {}): CheckContext {
  return { now: NOW, settings: { ...DEFAULT_COMPLIANCE_SETTINGS, ...settings }, organizationAccountIds: new Set(), accountEnvironments: new Map(), ...overrides };
}

/** A call that failed with AccessDeniedException (override errorName and message for others). */
export function readError(operation: string, service = "ecr", overrides: Partial<ReadError> = {}): ReadError {
  return { service, operation, errorName: "AccessDeniedException", message: `not authorized to perform ${service}:${operation}`, ...overrides };
}

/** readError as the one entry of a record's readErrors. */
export function readErrors(operation: string, service = "ecr", overrides: Partial<ReadError> = {}): ReadErrors {
  return { [operation]: readError(operation, service, overrides) };
}

export function repositoryFacts(overrides: Partial<RepositoryFacts> = {}): RepositoryFacts {
  return {
    arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/orders-api`,
    accountId: ACCOUNT,
    region: REGION,
    name: "team/orders-api",
    createdAt: new Date("2025-01-01T00:00:00Z"),
    imageTagMutability: "IMMUTABLE",
    tagMutabilityExclusions: null,
    scanOnPush: false,
    scanFrequency: null,
    appliedScanFilters: null,
    encryptionType: "KMS",
    kmsKey: null,
    key: null,
    lifecyclePolicy: null,
    repositoryPolicy: null,
    tags: [],
    readErrors: {},
    images: [],
    ...overrides,
  };
}

export function registryFacts(overrides: Partial<RegistryFacts> = {}): RegistryFacts {
  return {
    accountId: ACCOUNT,
    region: REGION,
    scanType: "BASIC",
    scanRules: [],
    registryPolicy: null,
    replicationRules: [],
    trails: [],
    guardDutyDetectors: [],
    vpcs: [],
    vpcEndpoints: [],
    inspectorCoverage: null,
    readErrors: {},
    storedBytes: 0,
    ...overrides,
  };
}

/** A KMS call that failed with `errorName`, as a key's readErrors. */
export const kmsError = (operation: string, errorName: string): ReadErrors => readErrors(operation, "kms", { errorName, message: `${errorName} on ${operation}` });

/** An OCI image pushed a day ago, never pulled, never scanned, its manifest not read. */
export function imageFacts(overrides: Partial<ImageFacts> = {}): ImageFacts {
  return {
    digest: digestOf(1),
    tags: [],
    sizeBytes: 0,
    pushedAt: daysAgo(1),
    lastPulledAt: null,
    manifestMediaType: OCI_MANIFEST,
    artifactMediaType: OCI_CONFIG,
    scanStatus: null,
    scanDescription: null,
    scanCompletedAt: null,
    severityCounts: null,
    layers: null,
    ...overrides,
  };
}

/** An image pushed `age` days ago, its digest made of the age and the tags (the lifecycle tests' line-ups). */
export const agedImage = (age: number, tags: string[], sizeBytes = 100): ImageFacts =>
  imageFacts({ digest: `sha256:${age}-${tags.join(",")}`, tags, sizeBytes, pushedAt: daysAgo(age), manifestMediaType: null, artifactMediaType: null });

/** Layer `n` (its digest is n padded to 64 digits) of `size` compressed bytes. */
export const layerFacts = (n: number, size: number): LayerFacts => ({ digest: `sha256:${String(n).padStart(64, "0")}`, size, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" });

/** An enabled customer managed key (CMK) with rotation on. */
export function kmsKeyFacts(overrides: Partial<KmsKeyFacts> = {}): KmsKeyFacts {
  return { arn: CMK, keyManager: "CUSTOMER", keyState: "Enabled", rotationEnabled: true, readErrors: {}, ...overrides };
}

/** A logging multi-region trail homed in us-east-1 that records all management events; its ARN follows its name and home region. */
export function trailFacts(overrides: Partial<TrailFacts> = {}): TrailFacts {
  const name = overrides.name ?? "management-events";
  const homeRegion = overrides.homeRegion ?? REGION;
  return {
    arn: `arn:aws:cloudtrail:${homeRegion}:${ACCOUNT}:trail/${name}`,
    name,
    homeRegion,
    multiRegion: true,
    organizationTrail: false,
    isLogging: true,
    eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
    advancedEventSelectors: null,
    ...overrides,
  };
}

/** A registry scanning rule with WILDCARD filters. */
export const scanRule = (scanFrequency: string, ...filters: string[]): ScanRule => ({ scanFrequency, repositoryFilters: filters.map((filter) => ({ filter, filterType: "WILDCARD" })) });

/** A policy document's JSON text. */
export const policyText = (...Statement: unknown[]): string => JSON.stringify({ Version: "2012-10-17", Statement });
