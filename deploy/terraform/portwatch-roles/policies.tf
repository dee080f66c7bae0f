# The actions each role may call: the same lists as deploy/iam/*.json and the CloudFormation
# templates (test/deploy.test.ts holds all three against a full collection's call log).
locals {
  # Sid PortwatchReadOnly: everything the collector reads in a member account.
  member_read_actions = [
    "ecr:DescribeRegistry",
    "ecr:GetRegistryPolicy",
    "ecr:GetRegistryScanningConfiguration",
    "ecr:DescribeRepositories",
    "ecr:BatchGetRepositoryScanningConfiguration",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "ecr:DescribeImages",
    "ecr:DescribeImageScanFindings",
    "inspector2:ListCoverage",
    "inspector2:ListFindings",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
    "guardduty:ListDetectors",
    "guardduty:GetDetector",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcEndpoints",
  ]

  # Sid OptionalManifestsOnlyForLayerAccurateCost: manifests, never layers (no GetDownloadUrlForLayer).
  member_manifest_actions = [
    "ecr:BatchGetImage",
  ]

  # Sid PortwatchListAccounts.
  org_reader_actions = [
    "organizations:ListAccounts",
  ]

  # Sid PortwatchReadEcrCost.
  cost_reader_actions = [
    "ce:GetCostAndUsage",
    "ce:GetCostForecast",
    "ce:GetDimensionValues",
  ]
}

# One trust policy for every role: only Portwatch's principal, only with the external id.
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "PortwatchAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.portwatch_principal_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
}

data "aws_iam_policy_document" "member" {
  statement {
    sid       = "PortwatchReadOnly"
    effect    = "Allow"
    actions   = local.member_read_actions
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.include_manifest_read ? [1] : []
    content {
      sid       = "OptionalManifestsOnlyForLayerAccurateCost"
      effect    = "Allow"
      actions   = local.member_manifest_actions
      resources = ["*"]
    }
  }
}

data "aws_iam_policy_document" "org_reader" {
  statement {
    sid       = "PortwatchListAccounts"
    effect    = "Allow"
    actions   = local.org_reader_actions
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "cost_reader" {
  statement {
    sid       = "PortwatchReadEcrCost"
    effect    = "Allow"
    actions   = local.cost_reader_actions
    resources = ["*"]
  }
}
