import type { CheckId, Remediation } from "./types";

/**
 * How to fix each check, four ways (spec/CONTROLS.md, Remediation). Placeholders are in angle
 * brackets (<repository-name>, <region>, <account-id>, <kms-key-arn>). CLI flags follow the ECR,
 * CloudTrail, GuardDuty, EC2, KMS and Inspector2 API models; Terraform uses the AWS provider's
 * resources and CloudFormation the AWS::* resource types.
 */

const ENCRYPTION_DISRUPTIVE =
  "Encryption cannot be changed on an existing repository: create a new one and copy the images, then point every push and pull (task definitions, Helm values, CI) at it before deleting the old repository. Terraform and CloudFormation replace the repository when its encryption changes, which deletes it and its images: create the new repository under a new name instead.";

/** A CloudFormation repository named <repository-name>; the properties a fix sets follow it. */
const CFN_REPOSITORY = `Repository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: <repository-name>`;

const LIFECYCLE_POLICY_JSON = `{
  "rules": [
    {
      "rulePriority": 1,
      "description": "Expire untagged images a day after push",
      "selection": { "tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1 },
      "action": { "type": "expire" }
    },
    {
      "rulePriority": 2,
      "description": "Keep the newest 10 images",
      "selection": { "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 10 },
      "action": { "type": "expire" }
    }
  ]
}`;

const LIFECYCLE_CLI = `cat > lifecycle-policy.json <<'EOF'
${LIFECYCLE_POLICY_JSON}
EOF
# See what the policy would expire before applying it
aws ecr start-lifecycle-policy-preview --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json
aws ecr get-lifecycle-policy-preview --region <region> --repository-name <repository-name>
aws ecr put-lifecycle-policy --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json`;

const LIFECYCLE_TERRAFORM = `resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images a day after push"
        selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 1 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest 10 images"
        selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 10 }
        action       = { type = "expire" }
      },
    ]
  })
}`;

const LIFECYCLE_CLOUDFORMATION = `${CFN_REPOSITORY}
    LifecyclePolicy:
      LifecyclePolicyText: |
        {"rules": [
          {"rulePriority": 1, "description": "Expire untagged images a day after push",
           "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1},
           "action": {"type": "expire"}},
          {"rulePriority": 2, "description": "Keep the newest 10 images",
           "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 10},
           "action": {"type": "expire"}}
        ]}`;

/** A lifecycle rule that expires what `selection` selects. */
interface ExpireRule {
  rulePriority: number;
  description: string;
  selection: Record<string, string | number>;
}

const KEEP_NEWEST_TEN: ExpireRule = { rulePriority: 1, description: "Keep the newest 10 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 } };
const EXPIRE_UNPULLED: ExpireRule = {
  rulePriority: 10,
  description: "Expire images not pulled for 90 days",
  selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 90 },
};

/** `{ key = "value", n = 1 }` (Terraform) and `{"key": "value", "n": 1}` (JSON). */
const hclObject = (fields: Record<string, string | number>) => `{ ${Object.entries(fields).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`;
const jsonObject = (fields: Record<string, string | number>) => `{${Object.entries(fields).map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(", ")}}`;

/** A repository's lifecycle policy of one expire rule, in Terraform. */
function oneRuleLifecycleTerraform({ rulePriority, description, selection }: ExpireRule): string {
  return `resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = ${rulePriority}
      description  = "${description}"
      selection    = ${hclObject(selection)}
      action       = { type = "expire" }
    }]
  })
}`;
}

/** The same on a CloudFormation repository. */
function oneRuleLifecycleCloudFormation({ rulePriority, description, selection }: ExpireRule): string {
  return `${CFN_REPOSITORY}
    LifecyclePolicy:
      LifecyclePolicyText: |
        {"rules": [{"rulePriority": ${rulePriority}, "description": "${description}",
          "selection": ${jsonObject(selection)},
          "action": {"type": "expire"}}]}`;
}

const NEW_ENCRYPTED_REPOSITORY_CLI = `# 1. A customer managed key (skip if you have one), with yearly rotation
aws kms create-key --region <region> --description "ECR images"
aws kms enable-key-rotation --region <region> --key-id <key-id>
aws kms create-alias --region <region> --alias-name alias/ecr --target-key-id <key-id>
# 2. A new repository encrypted with it
aws ecr create-repository --region <region> --repository-name <new-repository-name> \\
  --encryption-configuration encryptionType=KMS,kmsKey=<kms-key-arn> \\
  --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true
# 3. Copy every image (crane or skopeo copy manifest lists and keep digests; docker pull/tag/push works per platform)
aws ecr get-login-password --region <region> | crane auth login <account-id>.dkr.ecr.<region>.amazonaws.com -u AWS --password-stdin
crane copy <account-id>.dkr.ecr.<region>.amazonaws.com/<repository-name>:<tag> <account-id>.dkr.ecr.<region>.amazonaws.com/<new-repository-name>:<tag>
# 4. Once nothing pulls from the old repository
aws ecr delete-repository --region <region> --repository-name <repository-name> --force`;

const NEW_ENCRYPTED_REPOSITORY_TERRAFORM = `resource "aws_kms_key" "ecr" {
  description             = "ECR images"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

# A new repository (new name): changing encryption_configuration on the old one would replace it and delete its images.
resource "aws_ecr_repository" "encrypted" {
  name                 = "<new-repository-name>"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}`;

const NEW_ENCRYPTED_REPOSITORY_CLOUDFORMATION = `EcrKey:
  Type: AWS::KMS::Key
  Properties:
    Description: ECR images
    EnableKeyRotation: true
    KeyPolicy:
      Version: "2012-10-17"
      Statement:
        - Sid: AccountAdministers
          Effect: Allow
          Principal: { AWS: !Sub "arn:aws:iam::\${AWS::AccountId}:root" }
          Action: "kms:*"
          Resource: "*"
# A new logical resource and name: changing EncryptionConfiguration replaces the repository.
EncryptedRepository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: <new-repository-name>
    ImageTagMutability: IMMUTABLE
    ImageScanningConfiguration:
      ScanOnPush: true
    EncryptionConfiguration:
      EncryptionType: KMS
      KmsKey: !GetAtt EcrKey.Arn`;

const ORG_PULL_POLICY_JSON = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "OrganizationPull",
      "Effect": "Allow",
      "Principal": { "AWS": "*" },
      "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      "Condition": { "StringEquals": { "aws:PrincipalOrgID": "<organization-id>" } }
    }
  ]
}`;

const REPOSITORY_POLICY_CLI = `# The current policy
aws ecr get-repository-policy --region <region> --repository-name <repository-name> --query policyText --output text
# Write it back without the offending statement, or with a restricting Condition (here: pulls from the organization only)
cat > repository-policy.json <<'EOF'
${ORG_PULL_POLICY_JSON}
EOF
aws ecr set-repository-policy --region <region> --repository-name <repository-name> --policy-text file://repository-policy.json
# Or, if no one outside the account needs access, remove the policy altogether
aws ecr delete-repository-policy --region <region> --repository-name <repository-name>`;

/** A repository policy of one statement with one condition, in Terraform (an aws_iam_policy_document named `name`). */
function repositoryPolicyTerraform(name: string, statement: { sid: string; effect: "Allow" | "Deny"; actions: string[]; principalType: "AWS" | "*"; condition: { test: string; variable: string; value: string } }): string {
  const { sid, effect, actions, principalType, condition } = statement;
  return `data "aws_iam_policy_document" "${name}" {
  statement {
    sid     = "${sid}"
    effect  = "${effect}"
    actions = [${actions.map((a) => `"${a}"`).join(", ")}]

    principals {
      type        = "${principalType}"
      identifiers = ["*"]
    }

    condition {
      test     = "${condition.test}"
      variable = "${condition.variable}"
      values   = ["${condition.value}"]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy     = data.aws_iam_policy_document.${name}.json
}`;
}

const REPOSITORY_POLICY_TERRAFORM = repositoryPolicyTerraform("pull", {
  sid: "OrganizationPull",
  effect: "Allow",
  actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
  principalType: "AWS",
  condition: { test: "StringEquals", variable: "aws:PrincipalOrgID", value: "<organization-id>" },
});

const REPOSITORY_POLICY_CLOUDFORMATION = `${CFN_REPOSITORY}
    RepositoryPolicyText:
      Version: "2012-10-17"
      Statement:
        - Sid: OrganizationPull
          Effect: Allow
          Principal: { AWS: "*" }
          Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:BatchCheckLayerAvailability]
          Condition:
            StringEquals:
              aws:PrincipalOrgID: <organization-id>`;

/** The --rules of put-registry-scanning-configuration: one rule, its filter a WILDCARD. */
const scanRules = (frequency: string, filter = "*") => `'[{"scanFrequency":"${frequency}","repositoryFilters":[{"filter":"${filter}","filterType":"WILDCARD"}]}]'`;

/** A registry scanning configuration with one rule matching every repository, in Terraform. */
function registryScanningTerraform(name: string, scanType: "BASIC" | "ENHANCED", frequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN"): string {
  return `resource "aws_ecr_registry_scanning_configuration" "${name}" {
  scan_type = "${scanType}"

  rule {
    scan_frequency = "${frequency}"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}`;
}

/** The same in CloudFormation. */
function registryScanningCloudFormation(scanType: "BASIC" | "ENHANCED", frequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN"): string {
  return `RegistryScanning:
  Type: AWS::ECR::RegistryScanningConfiguration
  Properties:
    ScanType: ${scanType}
    Rules:
      - ScanFrequency: ${frequency}
        RepositoryFilters:
          - Filter: "*"
            FilterType: WILDCARD`;
}

/** An interface endpoint (private DNS on) to com.amazonaws.<region>.`service`, as CLI, Terraform and CloudFormation. */
const interfaceEndpointCli = (service: string) => `aws ec2 create-vpc-endpoint --region <region> --vpc-id <vpc-id> --vpc-endpoint-type Interface \\
  --service-name com.amazonaws.<region>.${service} --subnet-ids <subnet-id-1> <subnet-id-2> --security-group-ids <security-group-id> --private-dns-enabled`;

function interfaceEndpointTerraform(name: string, service: string): string {
  return `resource "aws_vpc_endpoint" "${name}" {
  vpc_id              = "<vpc-id>"
  service_name        = "com.amazonaws.<region>.${service}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["<subnet-id-1>", "<subnet-id-2>"]
  security_group_ids  = ["<security-group-id>"]
  private_dns_enabled = true
}`;
}

function interfaceEndpointCloudFormation(logicalId: string, service: string): string {
  return `${logicalId}:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}
    VpcEndpointType: Interface
    SubnetIds: [<subnet-id-1>, <subnet-id-2>]
    SecurityGroupIds: [<security-group-id>]
    PrivateDnsEnabled: true`;
}

/** Replication limited to the repositories whose names start with a prefix, as CLI, Terraform and CloudFormation. */
const PUT_REPLICATION_CLI = `aws ecr put-replication-configuration --region <region> --replication-configuration \\
  '{"rules":[{"destinations":[{"region":"<destination-region>","registryId":"<account-id>"}],"repositoryFilters":[{"filter":"<repository-prefix>","filterType":"PREFIX_MATCH"}]}]}'`;

const REPLICATION_TERRAFORM = `resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "<destination-region>"
        registry_id = "<account-id>"
      }

      repository_filter {
        filter      = "<repository-prefix>"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}`;

const REPLICATION_CLOUDFORMATION = `Replication:
  Type: AWS::ECR::ReplicationConfiguration
  Properties:
    ReplicationConfiguration:
      Rules:
        - Destinations:
            - Region: <destination-region>
              RegistryId: <account-id>
          RepositoryFilters:
            - Filter: <repository-prefix>
              FilterType: PREFIX_MATCH`;

export const REMEDIATION: Record<CheckId, Remediation> = {
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

  "trail-logging": {
    summary: "Record ECR's API calls: a CloudTrail trail covering the region (multi-region, or an organization trail) that is logging and records management events, reads and writes.",
    console: [
      "Open the CloudTrail console and choose Trails (in the management account, an organization trail covers every account).",
      "Start logging on a stopped trail, or choose Create trail: apply to all regions, with an S3 bucket for the logs.",
      "Under Events, select Management events with both Read and Write API activity.",
      "Save, and check that the trail's status is Logging.",
    ],
    cli: `# The bucket needs a policy that lets CloudTrail write (the console creates one for you)
aws cloudtrail create-trail --region <region> --name <trail-name> --s3-bucket-name <bucket-name> --is-multi-region-trail --include-global-service-events
aws cloudtrail put-event-selectors --region <region> --trail-name <trail-name> --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'
aws cloudtrail start-logging --region <region> --name <trail-name>
aws cloudtrail get-trail-status --region <region> --name <trail-name> --query IsLogging`,
    terraform: `resource "aws_cloudtrail" "management" {
  name                          = "<trail-name>"
  s3_bucket_name                = "<bucket-name>"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}`,
    cloudformation: `ManagementTrail:
  Type: AWS::CloudTrail::Trail
  Properties:
    TrailName: <trail-name>
    S3BucketName: <bucket-name>
    IsLogging: true
    IsMultiRegionTrail: true
    IncludeGlobalServiceEvents: true
    EventSelectors:
      - ReadWriteType: All
        IncludeManagementEvents: true`,
  },

  "guardduty-enabled": {
    summary: "Enable Amazon GuardDuty in the region: create a detector, or re-enable the suspended one.",
    console: [
      "Open the GuardDuty console in the region.",
      "Choose Get started, then Enable GuardDuty; for a suspended detector choose Settings, then Re-enable GuardDuty.",
      "With AWS Organizations, enable it from the delegated administrator account with auto-enable for member accounts.",
    ],
    cli: `aws guardduty list-detectors --region <region>
# No detector: create one
aws guardduty create-detector --region <region> --enable
# A suspended detector: re-enable it
aws guardduty update-detector --region <region> --detector-id <detector-id> --enable`,
    terraform: `resource "aws_guardduty_detector" "this" {
  enable = true
}`,
    cloudformation: `Detector:
  Type: AWS::GuardDuty::Detector
  Properties:
    Enable: true`,
  },

  "vpc-endpoints": {
    summary:
      "Let the VPC reach ECR privately: ecr.api and ecr.dkr interface endpoints with private DNS, available, and an S3 gateway endpoint (image layers are served from S3), all in the same VPC.",
    console: [
      "Open the VPC console in the region and choose Endpoints, then Create endpoint.",
      "Create an interface endpoint for com.amazonaws.<region>.ecr.api and one for com.amazonaws.<region>.ecr.dkr in the workload VPC, in its private subnets, with Enable DNS name selected and a security group that allows HTTPS (443) from the VPC.",
      "Create a gateway endpoint for com.amazonaws.<region>.s3 and associate it with the route tables of the subnets that pull images.",
      "Wait until all three are Available.",
    ],
    cli: `${interfaceEndpointCli("ecr.api")}
${interfaceEndpointCli("ecr.dkr")}
aws ec2 create-vpc-endpoint --region <region> --vpc-id <vpc-id> --vpc-endpoint-type Gateway \\
  --service-name com.amazonaws.<region>.s3 --route-table-ids <route-table-id>`,
    terraform: `${interfaceEndpointTerraform("ecr_api", "ecr.api")}

${interfaceEndpointTerraform("ecr_dkr", "ecr.dkr")}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = "<vpc-id>"
  service_name      = "com.amazonaws.<region>.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["<route-table-id>"]
}`,
    cloudformation: `${interfaceEndpointCloudFormation("EcrApiEndpoint", "ecr.api")}
${interfaceEndpointCloudFormation("EcrDkrEndpoint", "ecr.dkr")}
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds: [<route-table-id>]`,
    disruptive:
      "With private DNS on, every ECR call in the VPC goes through the endpoints: if their security group does not allow HTTPS (443) from the pulling subnets, or the S3 gateway endpoint is missing from those subnets' route tables, pulls fail. Create the S3 gateway endpoint and check the security group before enabling private DNS.",
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

  "image-size": {
    summary:
      "Make the latest image smaller and flatter: multi-stage builds, a minimal base image (distroless, alpine, slim), fewer layers, and no build tools, caches or test data in the final stage.",
    console: [
      "Open the Amazon ECR console, select the repository, and sort the images by size to find the largest.",
      "Inspect the image's layers (docker history, dive) to find what makes it large.",
      "Rewrite the Dockerfile as a multi-stage build that copies only the runtime artifacts onto a minimal base image; combine RUN steps and clean package caches in the same step.",
      "Rebuild, push, and compare the new image's size in the console.",
    ],
    cli: `# The largest images of the repository
aws ecr describe-images --region <region> --repository-name <repository-name> \\
  --query 'reverse(sort_by(imageDetails,&imageSizeInBytes))[:5].[imageTags[0],imageSizeInBytes,imagePushedAt]' --output table
# The latest image's layers and their sizes
aws ecr batch-get-image --region <region> --repository-name <repository-name> --image-ids imageTag=<tag> \\
  --accepted-media-types application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json \\
  --query 'images[0].imageManifest' --output text`,
    terraform: `# Image size is decided by the Dockerfile, not by ECR settings. A multi-stage build, for example:
#   FROM golang:1.23 AS build
#   WORKDIR /src
#   COPY . .
#   RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
#   FROM gcr.io/distroless/static-debian12
#   COPY --from=build /out/app /app
#   ENTRYPOINT ["/app"]
# Keep old large images from piling up meanwhile:
${oneRuleLifecycleTerraform(KEEP_NEWEST_TEN)}`,
    cloudformation: `# Image size is decided by the Dockerfile, not by ECR settings (see the multi-stage example in the Terraform tab).
# Keep old large images from piling up meanwhile:
${oneRuleLifecycleCloudFormation(KEEP_NEWEST_TEN)}`,
  },

  "stale-images": {
    summary:
      "Delete images nobody pushes or pulls any more: review them, delete what is not needed, and add a lifecycle rule that expires images not pulled for the configured number of days.",
    console: [
      "Open the Amazon ECR console, select the repository, and sort the images by Last recorded pull time.",
      "Delete the images that no deployment or rollback needs (select them, then Delete).",
      "Choose Lifecycle Policy and add a rule: Any, Since image pulled, 90 days, expire (as the last rule).",
      "Preview with Edit test rules, then apply.",
    ],
    cli: `# Images neither pulled nor pushed since <cutoff> (ISO date)
aws ecr describe-images --region <region> --repository-name <repository-name> \\
  --query "imageDetails[?(!lastRecordedPullTime || lastRecordedPullTime < '<cutoff>') && imagePushedAt < '<cutoff>'].[imageDigest,imageTags[0],imageSizeInBytes]" --output table
aws ecr batch-delete-image --region <region> --repository-name <repository-name> --image-ids imageDigest=<image-digest>
# Keep it that way
cat > lifecycle-policy.json <<'EOF'
{ "rules": [ { "rulePriority": 10, "description": "Expire images not pulled for 90 days",
  "selection": { "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90 },
  "action": { "type": "expire" } } ] }
EOF
aws ecr put-lifecycle-policy --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json`,
    terraform: oneRuleLifecycleTerraform(EXPIRE_UNPULLED),
    cloudformation: oneRuleLifecycleCloudFormation(EXPIRE_UNPULLED),
    disruptive: "Deleted images cannot be restored: an old release kept only for a rare rollback (and never pulled) is deleted too. Exclude such tags or keep them in another repository.",
  },

  "cross-region-transfer": {
    summary:
      "Pull images in the region where they run: create the repository in each region with workloads, or replicate the repositories those workloads use (with repository filters), and point the workloads at their regional repository URI.",
    console: [
      "In Cost Explorer, filter Service to Amazon EC2 Container Registry (ECR) and group by Usage type to see which <source>-<destination>-AWS-Out-Bytes usage types cost most.",
      "For each destination region with workloads, add a replication rule (Amazon ECR console, Private registry, Replication) limited by a prefix filter to the repositories they pull, or push to a repository in that region from CI.",
      "Change the workloads' image URIs to <account-id>.dkr.ecr.<destination-region>.amazonaws.com/<repository-name>.",
      "Check the inter-region usage types fall over the next days.",
    ],
    cli: `# Where the inter-region transfer comes from (last month)
aws ce get-cost-and-usage --time-period Start=<yyyy-mm-dd>,End=<yyyy-mm-dd> --granularity MONTHLY --metrics UnblendedCost \\
  --filter '{"Dimensions":{"Key":"SERVICE","Values":["Amazon EC2 Container Registry (ECR)"]}}' --group-by Type=DIMENSION,Key=USAGE_TYPE
# Replicate the repositories the destination's workloads pull (this replaces the registry's replication configuration)
${PUT_REPLICATION_CLI}`,
    terraform: REPLICATION_TERRAFORM,
    cloudformation: REPLICATION_CLOUDFORMATION,
  },

  "selective-replication": {
    summary: "Replicate only what the destination needs: give every replication rule at least one PREFIX_MATCH repository filter.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Feature & Settings, then Replication.",
      "Edit each rule that has no filter and add repository filters (prefixes) for the repositories the destination region or account pulls.",
      "Save, then delete the repositories the destination no longer needs there (they are billed until deleted).",
    ],
    cli: `aws ecr describe-registry --region <region> --query replicationConfiguration
# The configuration is replaced as a whole: repeat every rule, each with its filters
${PUT_REPLICATION_CLI}
# Remove what was replicated but is no longer wanted, in the destination region
aws ecr delete-repository --region <destination-region> --repository-name <repository-name> --force`,
    terraform: REPLICATION_TERRAFORM,
    cloudformation: REPLICATION_CLOUDFORMATION,
    disruptive:
      "Repositories the filters leave out stop replicating: workloads in the destination that pull them get no new images there. Copies already replicated stay, and are billed, until you delete them.",
  },

  "scan-cost-by-environment": {
    summary:
      "Pay for enhanced (Inspector) scanning where it matters: production registries scan production repositories on push or continuously; development registries use basic scanning, or their enhanced rules leave development repositories out.",
    console: [
      "Open the Amazon ECR console in the development account, choose Private registry, then Feature & Settings, then Scanning.",
      "Choose Basic scanning with a Scan on push rule, or keep Enhanced scanning with rule filters that match only the repositories that need it (for example prod*).",
      "In production registries, make sure every production repository is matched by a Scan on push or Continuous scanning rule.",
      "Save.",
    ],
    cli: `# A development registry: basic scan on push (free)
aws ecr put-registry-scanning-configuration --region <region> --scan-type BASIC --rules ${scanRules("SCAN_ON_PUSH")}
# A production registry: continuous scanning for production repositories only
aws ecr put-registry-scanning-configuration --region <region> --scan-type ENHANCED \\
  --rules ${scanRules("CONTINUOUS_SCAN", "prod*")}`,
    terraform: `# Development accounts
${registryScanningTerraform("dev", "BASIC", "SCAN_ON_PUSH")}`,
    cloudformation: `# Development accounts
${registryScanningCloudFormation("BASIC", "SCAN_ON_PUSH")}`,
  },
};
