import type { CheckId, Remediation } from "../types";
import { ENCRYPTION_DISRUPTIVE, CFN_REPOSITORY, LIFECYCLE_CLI, LIFECYCLE_TERRAFORM, LIFECYCLE_CLOUDFORMATION, NEW_ENCRYPTED_REPOSITORY_CLI, NEW_ENCRYPTED_REPOSITORY_TERRAFORM, NEW_ENCRYPTED_REPOSITORY_CLOUDFORMATION, REPOSITORY_POLICY_CLI, repositoryPolicyTerraform, REPOSITORY_POLICY_TERRAFORM, REPOSITORY_POLICY_CLOUDFORMATION, scanRules, registryScanningTerraform, registryScanningCloudFormation } from "./templates";

/** The fixes of the repository checks: scanning, tags, lifecycle, encryption, policies. */
export const REPOSITORY_REMEDIATION = {
  "scan-configured": {
    summary: "Scan every image when it is pushed (or continuously, with enhanced scanning): add a registry scanning rule whose filter matches the repository.",
    console: [
      "Open the Amazon ECR console in the repository's region and choose Private registry, then Feature & Settings, then Scanning.",
      "Choose Basic scanning (free) or Enhanced scanning (Amazon Inspector).",
      "Add a Scan on push rule (enhanced: a Continuous scanning rule) with a filter that matches the repository, for example * for every repository.",
      "Save, push an image, and check that its scan status is COMPLETE (basic) or ACTIVE (enhanced).",
    ],
    cli: `# The registry's rules are replaced as a whole: include the rules you already have (aws ecr get-registry-scanning-configuration)
aws ecr put-registry-scanning-configuration --region <region> --scan-type BASIC --rules ${scanRules("SCAN_ON_PUSH")}
# A BASIC registry also honours the repository's own scan-on-push flag
aws ecr put-image-scanning-configuration --region <region> --repository-name <repository-name> --image-scanning-configuration scanOnPush=true`,
    terraform: registryScanningTerraform("this", "BASIC", "SCAN_ON_PUSH"),
    cloudformation: registryScanningCloudFormation("BASIC", "SCAN_ON_PUSH"),
  },

  "tag-immutability": {
    summary: "Make tags immutable so a tag always names the same image: set imageTagMutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for the few moving tags you must keep).",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Repositories, and select the repository.",
      "Choose Actions, then Edit.",
      "Set Tag immutability to Immutable (optionally with exclusion filters for tags such as latest).",
      "Save.",
    ],
    cli: `aws ecr put-image-tag-mutability --region <region> --repository-name <repository-name> --image-tag-mutability IMMUTABLE
# Or keep one moving tag mutable while every other tag is immutable
aws ecr put-image-tag-mutability --region <region> --repository-name <repository-name> \\
  --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=latest`,
    terraform: `resource "aws_ecr_repository" "this" {
  name                 = "<repository-name>"
  image_tag_mutability = "IMMUTABLE"
}`,
    cloudformation: `${CFN_REPOSITORY}
    ImageTagMutability: IMMUTABLE`,
    disruptive:
      "Pipelines that push the same tag again (latest, main, a branch name) fail with ImageTagAlreadyExistsException once tags are immutable: tag every build uniquely (git SHA or version) first, or exclude the moving tags with IMMUTABLE_WITH_EXCLUSION.",
  },

  "lifecycle-present": {
    summary: "Give the repository a lifecycle policy: expire untagged images after a day and keep a bounded number of images.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Repositories, and select the repository.",
      "Choose Lifecycle Policy, then Create rule.",
      "Add a rule for Untagged images, Since image pushed, 1 day, and a rule for Any images, Image count more than 10.",
      "Use Edit test rules to preview what would expire, then Apply as lifecycle policy.",
    ],
    cli: LIFECYCLE_CLI,
    terraform: LIFECYCLE_TERRAFORM,
    cloudformation: LIFECYCLE_CLOUDFORMATION,
    disruptive:
      "Expired images are deleted for good, usually within 24 hours: preview the policy first and make sure no running workload or rollback still needs an image it would expire.",
  },

  "lifecycle-cost-rules": {
    summary:
      "Use the cost rules COST-01 asks for: an untagged rule (sinceImagePushed, at most the configured days) and a cap on tagged images (imageCountMoreThan at most the configured count) covering every tag.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Repositories, and select the repository.",
      "Choose Lifecycle Policy and edit the rules.",
      "Rule 1: Untagged, Since image pushed, 1 day, expire. Last rule (highest priority number): Any, Image count more than 10, expire.",
      "Preview with Edit test rules, then apply.",
    ],
    cli: LIFECYCLE_CLI,
    terraform: LIFECYCLE_TERRAFORM,
    cloudformation: LIFECYCLE_CLOUDFORMATION,
    disruptive: "Only the newest 10 images are kept: older tagged images, including ones a rollback may need, are deleted. Preview the policy and raise the count if you roll back further.",
  },

  "kms-encryption": {
    summary: "Encrypt the repository with AWS KMS (preferably a customer managed key): create a KMS-encrypted repository and move the images to it.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Repositories, then Create repository.",
      "Under Encryption settings choose AWS KMS and select a customer managed key (create one in the KMS console with automatic rotation on).",
      "Copy the images from the old repository to the new one (crane copy, skopeo copy, or docker pull, tag and push).",
      "Point CI pushes and workload pulls at the new repository, then delete the old one.",
    ],
    cli: NEW_ENCRYPTED_REPOSITORY_CLI,
    terraform: NEW_ENCRYPTED_REPOSITORY_TERRAFORM,
    cloudformation: NEW_ENCRYPTED_REPOSITORY_CLOUDFORMATION,
    disruptive: ENCRYPTION_DISRUPTIVE,
  },

  "cmk-encryption": {
    summary: "Encrypt the repository with a customer managed KMS key (not AES256, not the AWS managed aws/ecr key): create a repository with your key and move the images to it.",
    console: [
      "In the AWS KMS console, create a symmetric customer managed key in the repository's region, with automatic rotation on.",
      "In the Amazon ECR console choose Create repository; under Encryption settings choose AWS KMS, Customer managed key, and select the key.",
      "Copy the images from the old repository (crane copy, skopeo copy, or docker pull, tag and push).",
      "Point CI pushes and workload pulls at the new repository, then delete the old one.",
    ],
    cli: NEW_ENCRYPTED_REPOSITORY_CLI,
    terraform: NEW_ENCRYPTED_REPOSITORY_TERRAFORM,
    cloudformation: NEW_ENCRYPTED_REPOSITORY_CLOUDFORMATION,
    disruptive: ENCRYPTION_DISRUPTIVE,
  },

  "key-rotation": {
    summary: "Turn on automatic rotation of the customer managed key that encrypts the repository.",
    console: [
      "Open the AWS KMS console in the repository's region and choose Customer managed keys.",
      "Select the key the repository uses (its ARN is in the evidence).",
      "On the Key rotation tab, select Automatically rotate this KMS key and choose the rotation period (365 days by default).",
      "Save.",
    ],
    cli: `aws kms enable-key-rotation --region <region> --key-id <key-id>
# Optional: rotate more often than yearly (90 to 2560 days)
aws kms enable-key-rotation --region <region> --key-id <key-id> --rotation-period-in-days 180
aws kms get-key-rotation-status --region <region> --key-id <key-id>`,
    terraform: `resource "aws_kms_key" "ecr" {
  description         = "ECR images"
  enable_key_rotation = true
}`,
    cloudformation: `EcrKey:
  Type: AWS::KMS::Key
  Properties:
    Description: ECR images
    EnableKeyRotation: true`,
  },

  "policy-not-public": {
    summary:
      "Remove every Allow to a public principal (*, {\"AWS\": \"*\"}, arn:aws:iam::*:root), or restrict it with a Condition naming your organization, account, source VPC or VPC endpoint (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, ...).",
    console: [
      "Open the Amazon ECR console and select the repository (for the registry policy: Private registry, then Permissions).",
      "Choose Permissions, then Edit policy JSON.",
      "Delete the statement with the public principal, or add a Condition such as StringEquals aws:PrincipalOrgID <organization-id>.",
      "Save.",
    ],
    cli: `${REPOSITORY_POLICY_CLI}
# The registry policy (replication and pull-through permissions) the same way
aws ecr get-registry-policy --region <region> --query policyText --output text > registry-policy.json
aws ecr put-registry-policy --region <region> --policy-text file://registry-policy.json
aws ecr delete-registry-policy --region <region>`,
    terraform: `${REPOSITORY_POLICY_TERRAFORM}

# The registry policy: name the accounts instead of "*"
resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromSource"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::<source-account-id>:root" }
      Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:<region>:<account-id>:repository/*"
    }]
  })
}`,
    cloudformation: `${REPOSITORY_POLICY_CLOUDFORMATION}
RegistryPolicy:
  Type: AWS::ECR::RegistryPolicy
  Properties:
    PolicyText:
      Version: "2012-10-17"
      Statement:
        - Sid: ReplicationFromSource
          Effect: Allow
          Principal: { AWS: "arn:aws:iam::<source-account-id>:root" }
          Action: [ecr:CreateRepository, ecr:ReplicateImage]
          Resource: "arn:aws:ecr:<region>:<account-id>:repository/*"`,
    disruptive: "Anyone outside the conditions you set loses access: pulls from outside the organization (public consumers, other clouds, unlisted accounts) that relied on the public statement start failing.",
  },

  "cross-account-trusted": {
    summary:
      "Allow only accounts of your organization or accounts you trust: remove the statement naming an unknown account, or, if the access is intended, add the account to Settings, Compliance, Trusted accounts.",
    console: [
      "Open the Amazon ECR console, select the repository, and choose Permissions.",
      "Find the Allow statement whose principal is the account the finding names.",
      "Delete it, or replace the account with aws:PrincipalOrgID for organization-wide access, and save.",
      "If the account is a partner you mean to trust, add it under Portwatch Settings, Compliance, Trusted accounts instead.",
    ],
    cli: REPOSITORY_POLICY_CLI,
    terraform: REPOSITORY_POLICY_TERRAFORM,
    cloudformation: REPOSITORY_POLICY_CLOUDFORMATION,
    disruptive: "The removed account can no longer pull (or push): tell its owner first if the access was in use.",
  },

  "latest-image-vulns": {
    summary:
      "Rebuild the latest image on a patched base image and updated dependencies, push it, and check that its scan has no finding at or above the threshold; keep scans fresh with continuous scanning.",
    console: [
      "Open the Amazon ECR console, select the repository, and open the latest image's vulnerabilities (Amazon Inspector for enhanced scanning).",
      "Update the base image and the packages the findings name, rebuild and push a new tag.",
      "Check that the new image's scan is COMPLETE (or ACTIVE) without findings at or above the threshold, and deploy it.",
      "For a scan that is stale or missing, start a scan (basic) or turn on continuous scanning (enhanced).",
    ],
    cli: `# Findings of the latest image
aws ecr describe-image-scan-findings --region <region> --repository-name <repository-name> --image-id imageTag=<tag> \\
  --query 'imageScanFindings.findingSeverityCounts'
# After rebuilding on a patched base image and pushing, or to refresh a stale basic scan
aws ecr start-image-scan --region <region> --repository-name <repository-name> --image-id imageTag=<tag>
aws ecr wait image-scan-complete --region <region> --repository-name <repository-name> --image-id imageTag=<tag>`,
    terraform: `# The fix is a rebuilt image; what Terraform can do is keep every image rescanned as new CVEs appear
${registryScanningTerraform("this", "ENHANCED", "CONTINUOUS_SCAN")}`,
    cloudformation: `# The fix is a rebuilt image; CloudFormation can keep every image rescanned as new CVEs appear
${registryScanningCloudFormation("ENHANCED", "CONTINUOUS_SCAN")}`,
  },

  "continuous-scanning": {
    summary: "Turn on enhanced scanning (Amazon Inspector) with a continuous-scanning rule that matches the repository, so images are rescanned when new vulnerabilities are published.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Feature & Settings, then Scanning.",
      "Choose Enhanced scanning.",
      "Add a Continuous scanning rule with a filter that matches the repository (for example * or prod*).",
      "Save; Amazon Inspector starts covering the matched repositories (its coverage shows ACTIVE).",
    ],
    cli: `# Amazon Inspector must be on for ECR in the account
aws inspector2 enable --region <region> --resource-types ECR
# The registry's rules are replaced as a whole: include the rules you already have
aws ecr put-registry-scanning-configuration --region <region> --scan-type ENHANCED --rules ${scanRules("CONTINUOUS_SCAN")}`,
    terraform: `resource "aws_inspector2_enabler" "ecr" {
  account_ids    = ["<account-id>"]
  resource_types = ["ECR"]
}

${registryScanningTerraform("this", "ENHANCED", "CONTINUOUS_SCAN")}`,
    cloudformation: registryScanningCloudFormation("ENHANCED", "CONTINUOUS_SCAN"),
  },

  "tls-in-transit": {
    summary:
      "ECR endpoints accept HTTPS only; remove any policy statement that allows requests with aws:SecureTransport false, and optionally deny them explicitly.",
    console: [
      "Open the Amazon ECR console, select the repository, and choose Permissions, then Edit policy JSON.",
      "Delete the statement whose Condition allows aws:SecureTransport false.",
      "Optionally add a Deny statement for all principals and ecr:* with Condition Bool aws:SecureTransport false.",
      "Save.",
    ],
    cli: `aws ecr get-repository-policy --region <region> --repository-name <repository-name> --query policyText --output text > repository-policy.json
# Edit repository-policy.json: drop the statement allowing aws:SecureTransport false, then add
#   {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "ecr:*",
#    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
aws ecr set-repository-policy --region <region> --repository-name <repository-name> --policy-text file://repository-policy.json`,
    terraform: repositoryPolicyTerraform("tls_only", {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      actions: ["ecr:*"],
      principalType: "*",
      condition: { test: "Bool", variable: "aws:SecureTransport", value: "false" },
    }),
    cloudformation: `${CFN_REPOSITORY}
    RepositoryPolicyText:
      Version: "2012-10-17"
      Statement:
        - Sid: DenyInsecureTransport
          Effect: Deny
          Principal: "*"
          Action: "ecr:*"
          Condition:
            Bool:
              aws:SecureTransport: "false"`,
  },

} satisfies Partial<Record<CheckId, Remediation>>;
