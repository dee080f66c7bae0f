/** Snippets the remediation of several checks share: Terraform and CloudFormation blocks, CLI calls, policy texts. */

export const ENCRYPTION_DISRUPTIVE =
  "Encryption cannot be changed on an existing repository: create a new one and copy the images, then point every push and pull (task definitions, Helm values, CI) at it before deleting the old repository. Terraform and CloudFormation replace the repository when its encryption changes, which deletes it and its images: create the new repository under a new name instead.";

/** A CloudFormation repository named <repository-name>; the properties a fix sets follow it. */
export const CFN_REPOSITORY = `Repository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: <repository-name>`;

export const LIFECYCLE_POLICY_JSON = `{
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

export const LIFECYCLE_CLI = `cat > lifecycle-policy.json <<'EOF'
${LIFECYCLE_POLICY_JSON}
EOF
# See what the policy would expire before applying it
aws ecr start-lifecycle-policy-preview --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json
aws ecr get-lifecycle-policy-preview --region <region> --repository-name <repository-name>
aws ecr put-lifecycle-policy --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json`;

export const LIFECYCLE_TERRAFORM = `resource "aws_ecr_lifecycle_policy" "this" {
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

export const LIFECYCLE_CLOUDFORMATION = `${CFN_REPOSITORY}
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

export const KEEP_NEWEST_TEN: ExpireRule = { rulePriority: 1, description: "Keep the newest 10 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 } };
export const EXPIRE_UNPULLED: ExpireRule = {
  rulePriority: 10,
  description: "Expire images not pulled for 90 days",
  selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 90 },
};

/** `{ key = "value", n = 1 }` (Terraform) and `{"key": "value", "n": 1}` (JSON). */
export const hclObject = (fields: Record<string, string | number>) => `{ ${Object.entries(fields).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`;
export const jsonObject = (fields: Record<string, string | number>) => `{${Object.entries(fields).map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(", ")}}`;

/** A repository's lifecycle policy of one expire rule, in Terraform. */
export function oneRuleLifecycleTerraform({ rulePriority, description, selection }: ExpireRule): string {
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
export function oneRuleLifecycleCloudFormation({ rulePriority, description, selection }: ExpireRule): string {
  return `${CFN_REPOSITORY}
    LifecyclePolicy:
      LifecyclePolicyText: |
        {"rules": [{"rulePriority": ${rulePriority}, "description": "${description}",
          "selection": ${jsonObject(selection)},
          "action": {"type": "expire"}}]}`;
}

export const NEW_ENCRYPTED_REPOSITORY_CLI = `# 1. A customer managed key (skip if you have one), with yearly rotation
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

export const NEW_ENCRYPTED_REPOSITORY_TERRAFORM = `resource "aws_kms_key" "ecr" {
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

export const NEW_ENCRYPTED_REPOSITORY_CLOUDFORMATION = `EcrKey:
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

export const ORG_PULL_POLICY_JSON = `{
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

export const REPOSITORY_POLICY_CLI = `# The current policy
aws ecr get-repository-policy --region <region> --repository-name <repository-name> --query policyText --output text
# Write it back without the offending statement, or with a restricting Condition (here: pulls from the organization only)
cat > repository-policy.json <<'EOF'
${ORG_PULL_POLICY_JSON}
EOF
aws ecr set-repository-policy --region <region> --repository-name <repository-name> --policy-text file://repository-policy.json
# Or, if no one outside the account needs access, remove the policy altogether
aws ecr delete-repository-policy --region <region> --repository-name <repository-name>`;

/** A repository policy of one statement with one condition, in Terraform (an aws_iam_policy_document named `name`). */
export function repositoryPolicyTerraform(name: string, statement: { sid: string; effect: "Allow" | "Deny"; actions: string[]; principalType: "AWS" | "*"; condition: { test: string; variable: string; value: string } }): string {
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

export const REPOSITORY_POLICY_TERRAFORM = repositoryPolicyTerraform("pull", {
  sid: "OrganizationPull",
  effect: "Allow",
  actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
  principalType: "AWS",
  condition: { test: "StringEquals", variable: "aws:PrincipalOrgID", value: "<organization-id>" },
});

export const REPOSITORY_POLICY_CLOUDFORMATION = `${CFN_REPOSITORY}
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
export const scanRules = (frequency: string, filter = "*") => `'[{"scanFrequency":"${frequency}","repositoryFilters":[{"filter":"${filter}","filterType":"WILDCARD"}]}]'`;

/** A registry scanning configuration with one rule matching every repository, in Terraform. */
export function registryScanningTerraform(name: string, scanType: "BASIC" | "ENHANCED", frequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN"): string {
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
export function registryScanningCloudFormation(scanType: "BASIC" | "ENHANCED", frequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN"): string {
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
export const interfaceEndpointCli = (service: string) => `aws ec2 create-vpc-endpoint --region <region> --vpc-id <vpc-id> --vpc-endpoint-type Interface \\
  --service-name com.amazonaws.<region>.${service} --subnet-ids <subnet-id-1> <subnet-id-2> --security-group-ids <security-group-id> --private-dns-enabled`;

export function interfaceEndpointTerraform(name: string, service: string): string {
  return `resource "aws_vpc_endpoint" "${name}" {
  vpc_id              = "<vpc-id>"
  service_name        = "com.amazonaws.<region>.${service}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["<subnet-id-1>", "<subnet-id-2>"]
  security_group_ids  = ["<security-group-id>"]
  private_dns_enabled = true
}`;
}

export function interfaceEndpointCloudFormation(logicalId: string, service: string): string {
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
export const PUT_REPLICATION_CLI = `aws ecr put-replication-configuration --region <region> --replication-configuration \\
  '{"rules":[{"destinations":[{"region":"<destination-region>","registryId":"<account-id>"}],"repositoryFilters":[{"filter":"<repository-prefix>","filterType":"PREFIX_MATCH"}]}]}'`;

export const REPLICATION_TERRAFORM = `resource "aws_ecr_replication_configuration" "this" {
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

export const REPLICATION_CLOUDFORMATION = `Replication:
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
