/**
 * The contract between the evaluator and the checks. Checks are pure: they read these facts
 * (built by lib/db from one collection run's snapshot) and return a status, one sentence naming
 * what was observed, and the fields they decided on. Nothing here does I/O.
 */

/** A check's verdict (spec/CONTROLS.md, Vocabulary). */
export type CheckStatus = "PASS" | "FAIL" | "ERROR" | "MANUAL" | "INHERITED" | "NOT_APPLICABLE";
/** A control result: a check status, or EXCEPTED when an active exception covers a FAIL. */
export type ResultStatus = CheckStatus | "EXCEPTED";
export const RESULT_STATUSES: readonly ResultStatus[] = ["FAIL", "ERROR", "MANUAL", "EXCEPTED", "PASS", "INHERITED", "NOT_APPLICABLE"];

export type Scope = "repository" | "registry" | "account" | "organization";
export type ControlSeverity = "critical" | "high" | "medium" | "low";

export type CheckId =
  | "scan-configured"
  | "tag-immutability"
  | "lifecycle-present"
  | "lifecycle-cost-rules"
  | "kms-encryption"
  | "cmk-encryption"
  | "key-rotation"
  | "policy-not-public"
  | "cross-account-trusted"
  | "latest-image-vulns"
  | "continuous-scanning"
  | "trail-logging"
  | "guardduty-enabled"
  | "vpc-endpoints"
  | "tls-in-transit"
  | "image-size"
  | "stale-images"
  | "cross-region-transfer"
  | "selective-replication"
  | "scan-cost-by-environment";

/** JSON-serialisable evidence: the raw fields a check decided on. */
export type Evidence = Record<string, unknown>;

export interface CheckResult {
  status: CheckStatus;
  /** One human sentence naming the observed values ("imageTagMutability is MUTABLE"). */
  reason: string;
  evidence: Evidence;
}

/** An AWS call that failed for good while collecting the facts (lib/aws AwsFailure, trimmed). */
export interface ReadError {
  service: string;
  operation: string;
  errorName: string;
  message: string;
}
/** Operation name (e.g. "GetLifecyclePolicy", no service prefix) -> the failure that left a field unknown. */
export type ReadErrors = Partial<Record<string, ReadError>>;

export interface Filter {
  filter: string;
  filterType: string;
}

export interface ScanRule {
  scanFrequency: string;
  repositoryFilters: Filter[];
}

export interface ReplicationRule {
  destinations: { region: string; registryId: string }[];
  repositoryFilters: Filter[];
}

export interface LayerFacts {
  digest: string;
  /** Compressed bytes. */
  size: number;
  mediaType: string;
}

export interface ImageFacts {
  digest: string;
  tags: string[];
  /** Compressed size as ECR reports it (bytes). */
  sizeBytes: number;
  pushedAt: Date;
  /** ECR's lastRecordedPullTime; null when never pulled (or not recorded). */
  lastPulledAt: Date | null;
  manifestMediaType: string | null;
  artifactMediaType: string | null;
  /** COMPLETE, ACTIVE, FAILED, UNSUPPORTED_IMAGE, SCAN_ELIGIBILITY_EXPIRED, FINDINGS_UNAVAILABLE, ...; null when never scanned. */
  scanStatus: string | null;
  scanDescription: string | null;
  scanCompletedAt: Date | null;
  /** Severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED) -> count. */
  severityCounts: Record<string, number> | null;
  /** From the manifest (BatchGetImage); null when it was not read. */
  layers: LayerFacts[] | null;
}

export interface KmsKeyFacts {
  arn: string;
  /** AWS or CUSTOMER; null when DescribeKey failed (see readErrors). */
  keyManager: string | null;
  keyState: string | null;
  /** null when not a CMK, or GetKeyRotationStatus failed (see readErrors). */
  rotationEnabled: boolean | null;
  readErrors: ReadErrors;
}

export interface RepositoryFacts {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  createdAt: Date;
  /** MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION. */
  imageTagMutability: string;
  tagMutabilityExclusions: Filter[] | null;
  /** The repository's own (legacy) scanOnPush flag; BASIC registries still honour it. */
  scanOnPush: boolean;
  /** From BatchGetRepositoryScanningConfiguration; null when not read (see readErrors). */
  scanFrequency: string | null;
  appliedScanFilters: Filter[] | null;
  /** AES256, KMS or KMS_DSSE. */
  encryptionType: string;
  kmsKey: string | null;
  /** The key the repository names, when it was described (null: no key, or not collected). */
  key: KmsKeyFacts | null;
  /** Policy JSON text; null = none configured, unless readErrors names GetLifecyclePolicy / GetRepositoryPolicy. */
  lifecyclePolicy: string | null;
  repositoryPolicy: string | null;
  tags: { key: string; value: string }[] | null;
  /** Failures on this repository's calls (GetLifecyclePolicy, GetRepositoryPolicy, ListTagsForResource, BatchGetRepositoryScanningConfiguration, DescribeImages, DescribeImageScanFindings, BatchGetImage, ...). */
  readErrors: ReadErrors;
  /** Every image of the repository in the snapshot (any order). */
  images: ImageFacts[];
}

/**
 * One field of a CloudTrail advanced event selector. Within a field every operator given must
 * hold (AND); within an operator any value may match (OR). Absent operators are empty lists.
 */
export interface AdvancedFieldSelector {
  field: string;
  equals: string[];
  notEquals?: string[];
  startsWith?: string[];
  notStartsWith?: string[];
  endsWith?: string[];
  notEndsWith?: string[];
}

export interface TrailFacts {
  arn: string;
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  organizationTrail: boolean;
  isLogging: boolean | null;
  /** Basic selectors, or null when the trail uses advanced ones. */
  eventSelectors: { readWriteType: string; includeManagementEvents: boolean }[] | null;
  advancedEventSelectors: { name: string | null; fieldSelectors: AdvancedFieldSelector[] }[] | null;
}

export interface RegistryFacts {
  accountId: string;
  region: string;
  /** BASIC or ENHANCED; null when GetRegistryScanningConfiguration failed (see readErrors). */
  scanType: string | null;
  scanRules: ScanRule[] | null;
  /** Registry policy JSON text; null = none, unless readErrors names GetRegistryPolicy. */
  registryPolicy: string | null;
  /** From DescribeRegistry; null when it failed. */
  replicationRules: ReplicationRule[] | null;
  /** Trails visible in the region (DescribeTrails with shadow trails), null when unread. */
  trails: TrailFacts[] | null;
  guardDutyDetectors: { detectorId: string; status: string }[] | null;
  vpcs: { vpcId: string; isDefault: boolean }[] | null;
  vpcEndpoints: { vpcEndpointId: string; vpcId: string; serviceName: string; type: string; state: string; privateDnsEnabled: boolean }[] | null;
  /** Inspector2 ECR coverage per repository name (ACTIVE/INACTIVE); null for BASIC registries or when unread. */
  inspectorCoverage: Record<string, string> | null;
  /** Failures on the registry's and the region's calls (DescribeRegistry, GetRegistryScanningConfiguration, GetRegistryPolicy, DescribeTrails, GetTrailStatus, GetEventSelectors, ListDetectors, GetDetector, DescribeVpcs, DescribeVpcEndpoints, ListCoverage). */
  readErrors: ReadErrors;
  /** Sum of the repositories' image sizes (bytes; an upper bound, layers are shared). */
  storedBytes: number;
}

/** Cost Explorer facts for one account (COST-04). */
export type AccountCostFacts =
  | {
      state: "read";
      /** The window summed: the last `days` days with data, inclusive, YYYY-MM-DD. */
      from: string;
      to: string;
      /** Per ECR usage type in the window: USD (unblended) and whether AWS marked any day estimated. */
      usageTypes: { usageType: string; amountUsd: number; estimated: boolean }[];
    }
  /** Cost Explorer is not configured for this installation. */
  | { state: "not-configured" }
  /** The run's Cost Explorer target failed (or never ran): what happened. */
  | { state: "error"; errorName: string; operation: string; message: string };

export interface AccountFacts {
  accountId: string;
  name: string;
  /** prod, staging, dev, unknown, ... as set on the Accounts page or in the config file. */
  environment: string;
  cost: AccountCostFacts;
}

/** Thresholds and lists the checks read (Settings → Compliance). Defaults: spec/CONTROLS.md. */
export interface ComplianceSettings {
  /** latest-image-vulns: the lowest severity that fails (CRITICAL, HIGH, MEDIUM, LOW). */
  vulnerabilityThreshold: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL";
  /** latest-image-vulns: a completed scan older than this many days is stale. */
  scanStalenessDays: number;
  /** tag-immutability: IMMUTABLE_WITH_EXCLUSION fails instead of passing. */
  exclusionsFailImmutability: boolean;
  /** lifecycle-cost-rules: the untagged rule's countNumber (days since push) at most this. */
  lifecycleUntaggedDays: number;
  /** lifecycle-cost-rules: the tagged cap (imageCountMoreThan) at most this. */
  lifecycleMaxTaggedImages: number;
  /** cmk-encryption: when non-empty, a repository's key must be one of these key ARNs. */
  allowedKmsKeys: string[];
  /** image-size: the latest image's compressed size above this fails (bytes). */
  maxImageBytes: number;
  /** image-size: more layers than this fails (where the manifest was read). */
  maxImageLayers: number;
  /** stale-images: an image neither pushed nor pulled within this many days is stale. */
  staleImageDays: number;
  /** stale-images: stale bytes above this fail (bytes). */
  maxStaleBytes: number;
  /** cross-region-transfer: inter-region transfer cost over the window above this fails (USD). */
  maxCrossRegionTransferUsd: number;
  /** cross-region-transfer: the window, in days. */
  crossRegionTransferDays: number;
  /** USD per GB-month of ECR storage (reasons that give $/month). */
  storagePricePerGbMonth: number;
  /** Accounts outside the organisation that policies may name (cross-account-trusted). */
  trustedAccounts: string[];
  /** COST-06: how a repository's environment is found (account first, then tag, then name). */
  environment: {
    /** The repository tag whose value names the environment (e.g. "environment"). */
    tagKey: string;
    /** WILDCARD patterns (as ECR's filters) on the repository name. */
    prodNamePatterns: string[];
    devNamePatterns: string[];
  };
}

export const DEFAULT_COMPLIANCE_SETTINGS: ComplianceSettings = {
  vulnerabilityThreshold: "HIGH",
  scanStalenessDays: 30,
  exclusionsFailImmutability: false,
  lifecycleUntaggedDays: 1,
  lifecycleMaxTaggedImages: 10,
  allowedKmsKeys: [],
  maxImageBytes: 1024 ** 3,
  maxImageLayers: 50,
  staleImageDays: 90,
  maxStaleBytes: 10 * 1024 ** 3,
  maxCrossRegionTransferUsd: 50,
  crossRegionTransferDays: 30,
  storagePricePerGbMonth: 0.1,
  trustedAccounts: [],
  environment: { tagKey: "environment", prodNamePatterns: ["prod*"], devNamePatterns: ["dev*", "*-dev", "sandbox*"] },
};

/** What every check sees besides its resource. */
export interface CheckContext {
  /** The as-of time: when the run's collection finished. Ages are measured from here. */
  now: Date;
  settings: ComplianceSettings;
  /** Accounts of the organisation (Organizations discovery and configured accounts). */
  organizationAccountIds: ReadonlySet<string>;
  /** Account id -> its environment (prod, dev, staging, unknown, ...). */
  accountEnvironments: ReadonlyMap<string, string>;
}

export interface RepositoryCheck {
  id: CheckId;
  scope: "repository";
  evaluate(repository: RepositoryFacts, registry: RegistryFacts, ctx: CheckContext): CheckResult;
}

export interface RegistryCheck {
  id: CheckId;
  scope: "registry";
  evaluate(registry: RegistryFacts, repositories: readonly RepositoryFacts[], ctx: CheckContext): CheckResult;
}

export interface AccountCheck {
  id: CheckId;
  scope: "account";
  evaluate(account: AccountFacts, ctx: CheckContext): CheckResult;
}

export type Check = RepositoryCheck | RegistryCheck | AccountCheck;

/** Remediation of one check, four ways (spec/CONTROLS.md, Remediation). */
export interface Remediation {
  summary: string;
  console: string[];
  cli: string;
  terraform: string;
  cloudformation: string;
  /** Set when the fix disrupts something (KMS encryption cannot be changed on an existing repository). */
  disruptive?: string;
}

export interface ControlDefinition {
  /** The seed's identifier, unchanged (IAM-01, AC-3, ECR.1, COST-01). */
  id: string;
  title: string;
  severity: ControlSeverity;
  description: string;
  implementation: string;
  checks: CheckId[];
  /** A human process a security user attests to (organization scope); MANUAL until attested. */
  attestation?: { item: string };
  /** Identifiers in other catalogues: the published CCM control ids, NIST controls, AWS Config rules. */
  crosswalk?: { framework: string; ids: string[] }[];
  /** Set where the mapping is Portwatch's own rather than published (shown in evidence exports). */
  mappingNote?: string;
}

export interface FrameworkPack {
  /** csa-ccm-v5, nist-800-53-r5, aws-fsbp, aws-securityhub, ecr-cost. */
  id: string;
  name: string;
  version: string;
  description: string;
  controls: ControlDefinition[];
}

/** The result of one check inside a control result. */
export interface CheckOutcome {
  /** A check id, or "attestation" for a control's attestation item. */
  check: CheckId | "attestation";
  status: CheckStatus;
  reason: string;
}

/** One (framework, control, resource) result, as stored and as `portwatch results` prints it. */
export interface ControlResult {
  framework: string;
  control: string;
  scope: Scope;
  accountId: string | null;
  region: string | null;
  /** A repository's ARN, `registry/<account>/<region>`, `account/<account>`, or `organization`. */
  resource: string;
  status: ResultStatus;
  reason: string;
  checks: CheckOutcome[];
  evidence: Evidence;
  /** The exception that turned a FAIL into EXCEPTED. */
  exceptionId: string | null;
}
