import type { ControlDefinition, FrameworkPack } from "../types";

/**
 * The user's AWS Security Hub rows, unchanged, plus ECR.5 (customer managed KMS keys), which the
 * seed predates. Crosswalks are those the Security Hub user guide publishes per control: the NIST
 * 800-53 Rev 5 requirements it relates the control to, and the AWS Config rule behind it.
 */

const NIST = "NIST 800-53 Rev 5";
const PCI = "PCI DSS v4.0.1";
const CONFIG = "AWS Config managed rule";

/** Published per control; FSBP lists the same ECR.1-3, so it shares these. */
export const SECURITY_HUB_ECR_CROSSWALK: Record<"ECR.1" | "ECR.2" | "ECR.3" | "ECR.5", NonNullable<ControlDefinition["crosswalk"]>> = {
  "ECR.1": [
    { framework: NIST, ids: ["RA-5"] },
    { framework: PCI, ids: ["6.2.3", "6.2.4"] },
    { framework: CONFIG, ids: ["ecr-private-image-scanning-enabled"] },
  ],
  "ECR.2": [
    { framework: NIST, ids: ["CA-9(1)", "CM-2", "CM-8(1)"] },
    { framework: CONFIG, ids: ["ecr-private-tag-immutability-enabled"] },
  ],
  "ECR.3": [
    { framework: NIST, ids: ["CA-9(1)", "CM-2", "CM-2(2)"] },
    { framework: CONFIG, ids: ["ecr-private-lifecycle-policy-configured"] },
  ],
  "ECR.5": [
    { framework: NIST, ids: ["SC-28"] },
    { framework: CONFIG, ids: ["ecr-repository-cmk-encryption-enabled"] },
  ],
};

export const awsSecurityHub: FrameworkPack = {
  id: "aws-securityhub",
  name: "AWS Security Hub",
  version: "2023.1",
  description: "AWS Security Hub's controls for Amazon ECR: image scanning, tag immutability, lifecycle policies and customer managed encryption keys.",
  controls: [
    {
      id: "ECR.1",
      title: "ECR private repositories should have image scanning configured",
      severity: "high",
      description: "This control checks whether ECR private repositories have image scanning enabled",
      implementation: "Platform + IaC - Enable automatic scanning on image push and configure enhanced scanning for detailed vulnerability reports",
      checks: ["scan-configured"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.1"],
    },
    {
      id: "ECR.2",
      title: "ECR private repositories should have tag immutability configured",
      severity: "medium",
      description: "This control checks whether ECR private repositories have tag immutability enabled",
      implementation: "Platform + IaC - Set repository imageTagMutability to IMMUTABLE to prevent accidental overwrites of image tags",
      checks: ["tag-immutability"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.2"],
    },
    {
      id: "ECR.3",
      title: "ECR repositories should have at least one lifecycle policy configured",
      severity: "low",
      description: "This control checks whether ECR repositories have lifecycle policies configured",
      implementation: "Platform + IaC - Create and apply lifecycle policies to automatically clean up old or unused container images",
      checks: ["lifecycle-present"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.3"],
    },
    {
      // Beyond the seed (spec/CONTROLS.md): Security Hub's ECR.5.
      id: "ECR.5",
      title: "ECR repositories should be encrypted with customer managed AWS KMS keys",
      severity: "medium",
      description: "This control checks whether an ECR repository is encrypted at rest with a customer managed AWS KMS key; it fails when the repository uses AES256 or the AWS managed key (aws/ecr)",
      implementation: "Platform + IaC - Create repositories with encryptionType KMS and a customer managed KMS key; encryption cannot be changed on an existing repository",
      checks: ["cmk-encryption"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.5"],
    },
  ],
};
