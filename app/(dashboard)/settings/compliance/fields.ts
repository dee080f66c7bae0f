import type { ComplianceThresholds } from "@/lib/settings";

/**
 * Settings → Compliance: every field the form edits, with what it changes. Pure data shared by the
 * page (defaults, current values) and the form.
 */

export type FieldKind = "int" | "number" | "boolean" | "list" | "text" | "threshold";

export type ThresholdKey = keyof ComplianceThresholds;
export type TopKey = "vulnerabilityThreshold" | "trustedAccounts" | "resultRetentionRuns";
export type FieldKey = ThresholdKey | TopKey;

export interface FieldSpec {
  key: FieldKey;
  label: string;
  kind: FieldKind;
  help: string;
  /** For numbers: the input's step. */
  step?: string;
  /** For lists: how entries are separated in the input. */
  separator?: "lines" | "commas";
}

export interface FieldGroup {
  title: string;
  fields: FieldSpec[];
}

export const FIELD_GROUPS: FieldGroup[] = [
  {
    title: "Vulnerabilities and scanning",
    fields: [
      { key: "vulnerabilityThreshold", label: "Vulnerability threshold", kind: "threshold", help: "latest-image-vulns (RA-5, IVS-01): the lowest finding severity that makes the latest image fail." },
      { key: "scanStalenessDays", label: "Scan staleness (days)", kind: "int", step: "1", help: "latest-image-vulns: a completed scan older than this many days fails as stale." },
    ],
  },
  {
    title: "Repository configuration",
    fields: [
      { key: "exclusionsFailImmutability", label: "Tag-immutability exclusions fail", kind: "boolean", help: "tag-immutability (ECR.2): when on, IMMUTABLE_WITH_EXCLUSION fails instead of passing with its exclusions named." },
      { key: "lifecycleUntaggedDays", label: "Untagged images expire within (days)", kind: "int", step: "1", help: "lifecycle-cost-rules (COST-01): the untagged-image rule must expire images at most this many days after push." },
      { key: "lifecycleMaxTaggedImages", label: "Tagged images kept at most", kind: "int", step: "1", help: "lifecycle-cost-rules (COST-01): the tagged-image rule must keep at most this many images (imageCountMoreThan)." },
      {
        key: "allowedKmsKeys",
        label: "Allowed KMS keys",
        kind: "list",
        separator: "lines",
        help: "cmk-encryption (EKM-01, ECR.5): when set, a repository's customer managed key must be one of these key ARNs. One ARN per line; empty allows any enabled customer managed key.",
      },
      {
        key: "trustedAccounts",
        label: "Trusted accounts",
        kind: "list",
        separator: "commas",
        help: "cross-account-trusted (AC-3, IAM-01): accounts outside the organisation that repository and registry policies may grant access to without failing. 12-digit account ids separated by commas or spaces.",
      },
    ],
  },
  {
    title: "Image size and stale images",
    fields: [
      { key: "maxImageGiB", label: "Largest image (GiB)", kind: "number", step: "any", help: "image-size (COST-02): the latest image's compressed size above this fails." },
      { key: "maxImageLayers", label: "Most layers", kind: "int", step: "1", help: "image-size (COST-02): more layers than this fails (where the manifest was read)." },
      { key: "staleImageDays", label: "Stale after (days)", kind: "int", step: "1", help: "stale-images (COST-03): an image neither pushed nor pulled within this many days is stale." },
      { key: "maxStaleGiB", label: "Stale images allowed (GiB)", kind: "number", step: "any", help: "stale-images (COST-03): stale bytes above this, per repository, fail." },
    ],
  },
  {
    title: "Cost",
    fields: [
      { key: "maxCrossRegionTransferUsd", label: "Cross-region transfer allowed (USD)", kind: "number", step: "any", help: "cross-region-transfer (COST-04): ECR inter-region data-transfer cost over the window above this fails." },
      { key: "crossRegionTransferDays", label: "Cross-region transfer window (days)", kind: "int", step: "1", help: "cross-region-transfer (COST-04): how many days of Cost Explorer data are summed." },
      { key: "storagePricePerGbMonth", label: "Storage price (USD per GB-month)", kind: "number", step: "any", help: "ECR standard storage in regions not listed below: repository costs, lifecycle savings, and the reasons that give the monthly cost at stake." },
      {
        key: "regionStoragePrices",
        label: "Region storage prices",
        kind: "list",
        separator: "lines",
        help: "Regions whose ECR storage price differs from the one above, one <region>=<USD per GB-month> per line (for example eu-central-1=0.11).",
      },
      { key: "archivePricePerGbMonth", label: "Archive storage price (USD per GB-month)", kind: "number", step: "any", help: "ECR archive storage, for lifecycle rules that transition images to archive. AWS charges the standard price for the first 150 TB a month (USD 0.07 above), a restore fee per GB and a 90-day minimum: set the lower price only if your registry bills at that volume." },
    ],
  },
  {
    title: "Environments (COST-06)",
    fields: [
      { key: "environmentTagKey", label: "Environment tag key", kind: "text", help: "scan-cost-by-environment (COST-06): the repository tag whose value names its environment, read after the account's environment." },
      { key: "prodNamePatterns", label: "Production name patterns", kind: "list", separator: "commas", help: "COST-06: repository names that are production when no account or tag says (* matches any run of characters). Separate with commas or spaces." },
      { key: "devNamePatterns", label: "Development name patterns", kind: "list", separator: "commas", help: "COST-06: repository names that are development when no account or tag says. Separate with commas or spaces." },
    ],
  },
  {
    title: "Retention",
    fields: [
      { key: "resultRetentionRuns", label: "Full results kept (runs)", kind: "int", step: "1", help: "How many recent runs keep every result with its evidence; older runs keep only the daily counts (kept for years)." },
    ],
  },
];

export const TOP_KEYS: readonly TopKey[] = ["vulnerabilityThreshold", "trustedAccounts", "resultRetentionRuns"];

/** A value as the form shows it (lists joined, numbers as text). */
export type FormValues = Record<FieldKey, string | boolean>;

export function toFormValue(spec: Pick<FieldSpec, "kind" | "separator">, value: unknown): string | boolean {
  if (spec.kind === "boolean") return Boolean(value);
  if (Array.isArray(value)) return value.join(spec.separator === "lines" ? "\n" : ", ");
  return String(value ?? "");
}

/** "Default: 30", "Default: none", "Default: off". */
export function defaultText(spec: Pick<FieldSpec, "kind" | "separator">, value: unknown): string {
  if (spec.kind === "boolean") return `Default: ${value ? "on" : "off"}.`;
  if (Array.isArray(value)) return value.length ? `Default: ${value.join(", ")}.` : "Default: none.";
  return `Default: ${String(value)}.`;
}
