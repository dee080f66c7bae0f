import type { AwsFailure, ImageRecord, KmsKeyRecord, LayerRecord, RegionServicesRecord, RegistryRecord, RepositoryRecord, ScanRule, TrailRecord } from "@/lib/aws/types";

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
export type ReadError = Pick<AwsFailure, "service" | "operation" | "errorName" | "message">;
/** Operation name (e.g. "GetLifecyclePolicy", no service prefix) -> the failure that left a field unknown. */
export type ReadErrors = Partial<Record<string, ReadError>>;

/** A repository filter of a scanning or replication rule, or a tag mutability exclusion. */
export type Filter = ScanRule["repositoryFilters"][number];

/**
 * The collector's records (lib/aws/types.ts, types only) as the checks see them: what lib/db
 * stored, with a failed call named in `readErrors` (operation -> ReadError) where a record has
 * `errors`.
 */
export type { AdvancedFieldSelector, ReplicationRule, ScanRule } from "@/lib/aws/types";
export type LayerFacts = LayerRecord;
export type ImageFacts = ImageRecord;
export type TrailFacts = TrailRecord;

/** The KMS key a repository names, as DescribeKey and GetKeyRotationStatus answered. */
export interface KmsKeyFacts extends Pick<KmsKeyRecord, "arn" | "keyManager" | "keyState" | "rotationEnabled"> {
  readErrors: ReadErrors;
}

/** A repository of the snapshot, with its key and its images. */
export interface RepositoryFacts extends Omit<RepositoryRecord, "uri" | "errors"> {
  /** The key the repository names, when it was described (null: no key, or not collected). */
  key: KmsKeyFacts | null;
  /** Failures on this repository's calls (GetLifecyclePolicy, GetRepositoryPolicy, ListTagsForResource, BatchGetRepositoryScanningConfiguration, DescribeImages, DescribeImageScanFindings, BatchGetImage, ...). */
  readErrors: ReadErrors;
  /** Every image of the repository in the snapshot (any order). */
  images: ImageFacts[];
}

/** A registry, with what the checks need of its account and region's other services (CloudTrail, GuardDuty, VPC, Inspector). */
export interface RegistryFacts extends Omit<RegistryRecord, "errors">, Omit<RegionServicesRecord, "errors"> {
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
  /** USD per GB-month of ECR standard storage where no region price is set (reasons that give $/month). */
  storagePricePerGbMonth: number;
  /** Regions whose standard storage price differs: region -> USD per GB-month (lib/cost/pricing.ts). */
  regionStoragePrices: Record<string, number>;
  /** USD per GB-month of ECR archive storage (lifecycle `transition` rules): the same as standard below 150 TB a month. */
  archivePricePerGbMonth: number;
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
  regionStoragePrices: {},
  // AWS prices ECR archive storage like standard storage for the first 150 TB a month (0.07 above);
  // its savings come at that scale, plus a per-GB restore fee and a 90-day minimum.
  archivePricePerGbMonth: 0.1,
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
