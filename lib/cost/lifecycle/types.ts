/**
 * The lifecycle policy engine's contract (lib/cost/lifecycle): what it reads and what it answers.
 * Pure: no I/O, no Node-only module, so the repository page's editor runs it in the browser.
 */

/** An image as the simulator needs it (DescribeImages' imageDetails, plus the manifest's layers when read). */
export interface LifecycleImage {
  digest: string;
  /** Empty: untagged. */
  tags: string[];
  /** ECR's compressed image size (imageSizeInBytes). */
  sizeBytes: number;
  pushedAt: Date;
  /** lastRecordedPullTime; null when never pulled (or not recorded). */
  lastPulledAt: Date | null;
  /** "STANDARD" (default) or "ARCHIVE" (imageStatus / storage class in DescribeImages). */
  storageClass?: "STANDARD" | "ARCHIVE";
  /** When the image moved to its current storage class (lastActivatedAt/lastArchivedAt); null when unknown. */
  transitionedAt?: Date | null;
  /** The manifest's layers (BatchGetImage) when read: freed bytes then count each layer once. */
  layers?: readonly { digest: string; size: number }[] | null;
  /**
   * False when the collector never reads this image's layers (a manifest list, a signature or
   * another artifact: lib/cost/stored-bytes.ts hasReadableLayers). Its null `layers` then keep
   * freedBytes exact, and it counts by sizeBytes, as storedBytes counts it. Default true.
   */
  layersReadable?: boolean;
}

export type CountType = "imageCountMoreThan" | "sinceImagePushed" | "sinceImagePulled" | "sinceImageTransitioned";

/** One rule, validated: every field ECR would accept, normalised (tagStatus lower-case). */
export interface LifecycleRule {
  rulePriority: number;
  description: string | null;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPrefixList: string[] | null;
    tagPatternList: string[] | null;
    countType: CountType;
    /** "days" for the since* count types; null for imageCountMoreThan. */
    countUnit: "days" | null;
    countNumber: number;
    /** The storage class the rule selects from ("standard" default, or "archive"). */
    storageClass: "standard" | "archive";
  };
  action: { type: "expire" } | { type: "transition"; targetStorageClass: "archive" };
}

export interface LifecyclePolicy {
  rules: LifecycleRule[];
}

/** A validation error: where (a JSON path such as "rules[1].selection.countNumber") and what is wrong, in ECR's words where ECR has them. */
export interface PolicyError {
  path: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: LifecyclePolicy } | { ok: false; errors: PolicyError[] };

export type ImageFate = "keep" | "expire" | "transition";

export interface ImageOutcome {
  image: LifecycleImage;
  fate: ImageFate;
  /** The rule that decided the fate (expire/transition), or that claimed the image and kept it; null when no rule selected it. */
  rulePriority: number | null;
}

export interface SimulationOptions {
  /** The moment the policy is evaluated at (ages are measured from here). */
  at: Date;
  /** USD per GB-month (GB = 2^30 bytes) of standard storage in the repository's region. */
  storageUsdPerGbMonth: number;
  /** USD per GB-month of archive storage (the transition action's destination). */
  archiveUsdPerGbMonth: number;
}

export interface RuleTotals {
  rulePriority: number;
  /** Images the rule's selection took (after higher-priority rules claimed theirs). */
  selected: number;
  expired: number;
  transitioned: number;
  /** Sum of the compressed sizes of the images it expired or transitioned. */
  bytes: number;
}

export interface SimulationTotals {
  images: number;
  kept: number;
  expired: number;
  transitioned: number;
  /** Sum of ECR's compressed sizes of expired images (an upper bound: layers are shared). */
  expiredImageBytes: number;
  /** Bytes standard storage stops holding: layers of expired/transitioned images no kept image still uses (exact when every image's layers are known). */
  freedBytes: number;
  /** True when every container image's layers were known, so freedBytes counts shared layers once. */
  freedBytesExact: boolean;
  /** Sum of the compressed sizes of transitioned images: what archive storage starts holding. */
  transitionedBytes: number;
  /** Sum of the compressed sizes of archived images the policy expires: what archive storage stops holding. */
  archiveExpiredBytes: number;
  /** USD per month no longer paid (freed standard storage and expired archive storage, minus what archive storage of transitioned images costs). */
  monthlyUsdSaved: number;
}

export interface SimulationResult {
  /** One per input image, in input order. */
  outcomes: ImageOutcome[];
  rules: RuleTotals[];
  totals: SimulationTotals;
}
