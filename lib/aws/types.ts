/**
 * What the collectors hand to the rest of Portwatch: our own records, never SDK types. A call
 * that failed is an AwsFailure naming the account, region, service and operation; "not
 * configured" answers (no lifecycle policy, no repository policy) are facts (null), not failures.
 */

export type FailureKind =
  | "access-denied"
  | "throttled"
  | "region-disabled"
  | "timeout"
  | "network"
  | "server"
  | "invalid-credentials"
  | "not-found"
  | "other";

export interface AwsFailure {
  accountId: string;
  /** "global" for calls that are not regional (Organizations, Cost Explorer). */
  region: string;
  /** SigV4 signing name: ecr, sts, kms, cloudtrail, ec2, guardduty, inspector2, organizations, ce. */
  service: string;
  operation: string;
  /** The repository, key or trail the call was about, when it was about one. */
  resource?: string;
  /** AWS's error name (AccessDeniedException, ThrottlingException, ...) or the SDK's (TimeoutError). */
  errorName: string;
  message: string;
  kind: FailureKind;
}

/** Per-operation failures recorded on a record: a field the failure left unknown is null. */
export type FailureMap = Partial<Record<string, AwsFailure>>;

export interface CallStats {
  /** Requests sent, retries included. */
  calls: number;
  /** Requests AWS answered with a throttling error (each was retried or given up). */
  throttled: number;
  /** Calls that failed for good (after the SDK's retries). */
  failed: number;
}

export interface ScanRule {
  scanFrequency: string;
  repositoryFilters: { filter: string; filterType: string }[];
}

export interface ReplicationRule {
  destinations: { region: string; registryId: string }[];
  repositoryFilters: { filter: string; filterType: string }[];
}

export interface RegistryRecord {
  accountId: string;
  region: string;
  /** BASIC or ENHANCED; null when GetRegistryScanningConfiguration failed. */
  scanType: string | null;
  scanRules: ScanRule[] | null;
  /** The registry policy JSON text; null when there is none (a fact) or it failed (see errors). */
  registryPolicy: string | null;
  /** From DescribeRegistry; null when it failed. */
  replicationRules: ReplicationRule[] | null;
  errors: FailureMap;
}

export interface RepositoryRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  uri: string;
  createdAt: Date;
  /** MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION, IMMUTABLE_WITH_EXCLUSION. */
  imageTagMutability: string;
  tagMutabilityExclusions: { filter: string; filterType: string }[] | null;
  /** The repository's own (legacy) scanOnPush flag; BASIC registries still honour it. */
  scanOnPush: boolean;
  /** AES256, KMS or KMS_DSSE. */
  encryptionType: string;
  kmsKey: string | null;
  /** From BatchGetRepositoryScanningConfiguration: the effective frequency; null when unread. */
  scanFrequency: string | null;
  appliedScanFilters: { filter: string; filterType: string }[] | null;
  /** Policy JSON text; null = none configured, unless errors names the operation. */
  lifecyclePolicy: string | null;
  repositoryPolicy: string | null;
  tags: { key: string; value: string }[] | null;
  errors: FailureMap;
}

export interface LayerRecord {
  digest: string;
  /** Compressed bytes. */
  size: number;
  mediaType: string;
}

export interface ImageRecord {
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
  /** Severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED) -> count, from imageScanFindingsSummary. */
  severityCounts: Record<string, number> | null;
  /** From BatchGetImage's manifest; null when not read (not permitted, or not an image manifest). */
  layers: LayerRecord[] | null;
}

export interface FindingRecord {
  /** Stable within an image: the vulnerability id and the package it is in. */
  key: string;
  /** CVE-2024-1234, GHSA-..., ALAS-... */
  name: string;
  severity: string;
  packageName: string | null;
  packageVersion: string | null;
  fixedInVersion: string | null;
  uri: string | null;
  description: string | null;
  /** CVSS base score where the source gives one. */
  score: number | null;
}

export interface ImageFindingsRecord {
  imageDigest: string;
  /** basic: DescribeImageScanFindings.findings; enhanced: .enhancedFindings; inspector2: ListFindings. */
  source: "basic" | "enhanced" | "inspector2";
  scanStatus: string | null;
  scanCompletedAt: Date | null;
  findings: FindingRecord[];
}

export interface KmsKeyRecord {
  /** The key ARN as the repository names it (alias ARNs resolved to key ARNs when described). */
  arn: string;
  accountId: string;
  region: string;
  /** AWS or CUSTOMER; null when DescribeKey failed. */
  keyManager: string | null;
  keyState: string | null;
  /** null when not a CMK, or GetKeyRotationStatus failed (see errors). */
  rotationEnabled: boolean | null;
  errors: FailureMap;
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

export interface TrailRecord {
  arn: string;
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  organizationTrail: boolean;
  isLogging: boolean | null;
  /** Basic selectors, or null when the trail uses advanced ones. */
  eventSelectors: { readWriteType: string; includeManagementEvents: boolean }[] | null;
  /** Advanced selectors' field selectors (field -> equals values). */
  advancedEventSelectors: { name: string | null; fieldSelectors: AdvancedFieldSelector[] }[] | null;
}

export interface GuardDutyDetectorRecord {
  detectorId: string;
  status: string;
}

export interface VpcRecord {
  vpcId: string;
  isDefault: boolean;
}

export interface VpcEndpointRecord {
  vpcEndpointId: string;
  vpcId: string;
  serviceName: string;
  /** Interface or Gateway. */
  type: string;
  state: string;
  privateDnsEnabled: boolean;
}

/** The non-ECR facts of one account x region that registry-scoped checks need. */
export interface RegionServicesRecord {
  /** Trails visible in the region (DescribeTrails with shadow trails), null when unread. */
  trails: TrailRecord[] | null;
  guardDutyDetectors: GuardDutyDetectorRecord[] | null;
  vpcs: VpcRecord[] | null;
  vpcEndpoints: VpcEndpointRecord[] | null;
  /** Inspector2 ECR coverage per repository name (ACTIVE/INACTIVE), for enhanced registries; null for BASIC ones or when unread. */
  inspectorCoverage: Record<string, string> | null;
  errors: FailureMap;
}

export interface OrganizationAccountRecord {
  id: string;
  name: string;
  email: string;
  status: string;
}

/** One row of a Cost Explorer grouped result: USD amounts are strings in AWS's answer. */
export interface CostRow {
  /** YYYY-MM-DD, the period's start (a month's first day for MONTHLY). */
  date: string;
  /** LINKED_ACCOUNT or REGION. */
  dimension: "LINKED_ACCOUNT" | "REGION";
  key: string;
  usageType: string;
  amount: string;
  amountUnit: string;
  quantity: string;
  quantityUnit: string | null;
  estimated: boolean;
}

export interface CostForecastRecord {
  /** YYYY-MM-DD, inclusive start and exclusive end. */
  start: string;
  end: string;
  mean: string;
  lower: string | null;
  upper: string | null;
  unit: string;
}
