import { COST_REMEDIATION } from "./remediation/cost";
import { REGION_REMEDIATION } from "./remediation/region";
import { REPOSITORY_REMEDIATION } from "./remediation/repository";
import type { CheckId, Remediation } from "./types";

/**
 * How to fix each check, four ways (spec/CONTROLS.md, Remediation). Placeholders are in angle
 * brackets (<repository-name>, <region>, <account-id>, <kms-key-arn>). CLI flags follow the ECR,
 * CloudTrail, GuardDuty, EC2, KMS and Inspector2 API models; Terraform uses the AWS provider's
 * resources and CloudFormation the AWS::* resource types.
 */
export const REMEDIATION: Record<CheckId, Remediation> = { ...REPOSITORY_REMEDIATION, ...REGION_REMEDIATION, ...COST_REMEDIATION };
