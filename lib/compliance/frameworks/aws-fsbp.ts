import type { FrameworkPack } from "../types";
import { SECURITY_HUB_ECR_CROSSWALK } from "./aws-securityhub";

/**
 * The user's AWS Foundational Security Best Practices rows, unchanged. FSBP and Security Hub list
 * the same ECR.1-3: the same checks decide them, shown under both packs.
 */
export const awsFsbp: FrameworkPack = {
  id: "aws-fsbp",
  name: "AWS Foundational Security Best Practices",
  version: "1.0.0",
  description: "The AWS Foundational Security Best Practices standard's controls for Amazon ECR: image scanning, tag immutability and lifecycle policies.",
  controls: [
    {
      id: "ECR.1",
      title: "ECR private repositories should have image scanning configured",
      severity: "high",
      description: "ECR repositories should have image scanning enabled to identify software vulnerabilities",
      implementation: "Platform + IaC - Enable scan on push for ECR repositories, configure enhanced scanning for comprehensive vulnerability detection",
      checks: ["scan-configured"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.1"],
    },
    {
      id: "ECR.2",
      title: "ECR private repositories should have tag immutability configured",
      severity: "medium",
      description: "ECR repositories should have tag immutability enabled to prevent image tags from being overwritten",
      implementation: "Platform + IaC - Configure imageTagMutability to IMMUTABLE in ECR repository configuration",
      checks: ["tag-immutability"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.2"],
    },
    {
      id: "ECR.3",
      title: "ECR repositories should have at least one lifecycle policy configured",
      severity: "medium",
      description: "ECR repositories should have lifecycle policies to manage image retention and reduce storage costs",
      implementation: "Platform + IaC - Implement lifecycle policies to automatically delete untagged images and old image versions",
      checks: ["lifecycle-present"],
      crosswalk: SECURITY_HUB_ECR_CROSSWALK["ECR.3"],
    },
  ],
};
