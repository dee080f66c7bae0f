/**
 * What an AWS admin creates in each member account: the read-only role's trust policy and the
 * read-only actions it needs. Pure: the Accounts page and the docs show the same text.
 */

export const PORTWATCH_PRINCIPAL_PLACEHOLDER = "arn:aws:iam::<PORTWATCH_ACCOUNT_ID>:root";

export interface TrustPolicyOptions {
  externalId: string;
  /**
   * The AWS principal Portwatch's base credentials belong to: an account id (trusts that
   * account's root, so its IAM decides who may assume) or a role/user ARN. Unknown: a
   * placeholder the admin replaces.
   */
  principal?: string;
}

function principalArn(principal: string | undefined): string {
  if (!principal) return PORTWATCH_PRINCIPAL_PLACEHOLDER;
  if (/^\d{12}$/.test(principal)) return `arn:aws:iam::${principal}:root`;
  if (/^arn:aws(?:-cn|-us-gov)?:(?:iam|sts)::\d{12}:[\w+=,.@/-]+$/.test(principal) && !principal.includes("*")) return principal;
  throw new Error(`"${principal.slice(0, 80)}" is not an account id or an IAM principal ARN`);
}

/** The member role's trust policy: one named principal, and only with this installation's external id. */
export function buildMemberTrustPolicy({ externalId, principal }: TrustPolicyOptions) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PortwatchAssumeRole",
        Effect: "Allow",
        Principal: { AWS: principalArn(principal) },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ],
  };
}

export function memberTrustPolicyJson(options: TrustPolicyOptions): string {
  return JSON.stringify(buildMemberTrustPolicy(options), null, 2);
}

export interface PermissionGroup {
  service: string;
  actions: string[];
  why: string;
}

/** The read-only actions the collectors in lib/aws call in each member account and region: nothing that writes. */
export const MEMBER_ROLE_PERMISSIONS: readonly PermissionGroup[] = [
  {
    service: "Amazon ECR",
    actions: [
      "ecr:DescribeRegistry",
      "ecr:GetRegistryPolicy",
      "ecr:GetRegistryScanningConfiguration",
      "ecr:DescribeRepositories",
      "ecr:ListTagsForResource",
      "ecr:GetRepositoryPolicy",
      "ecr:GetLifecyclePolicy",
      "ecr:BatchGetRepositoryScanningConfiguration",
      "ecr:DescribeImages",
      "ecr:BatchGetImage",
      "ecr:DescribeImageScanFindings",
    ],
    why: "repository settings, images, their manifests (layer sizes) and basic scan findings",
  },
  {
    service: "Amazon Inspector",
    actions: ["inspector2:ListCoverage", "inspector2:ListFindings"],
    why: "enhanced scanning coverage and findings",
  },
  { service: "AWS KMS", actions: ["kms:DescribeKey", "kms:GetKeyRotationStatus"], why: "the keys repositories are encrypted with" },
  {
    service: "AWS CloudTrail",
    actions: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
    why: "whether ECR API calls are logged",
  },
  { service: "Amazon GuardDuty", actions: ["guardduty:ListDetectors", "guardduty:GetDetector"], why: "whether threat detection is on" },
  { service: "Amazon EC2", actions: ["ec2:DescribeVpcs", "ec2:DescribeVpcEndpoints"], why: "private ECR endpoints" },
];

/** Manifests only, never layers: optional, for layer-accurate storage cost (deploy/iam keeps it apart too). */
export const OPTIONAL_MEMBER_ACTIONS: readonly string[] = ["ecr:BatchGetImage"];

/**
 * The member role's permissions as a policy document an admin can paste: the same statements as
 * deploy/iam/member-read-only-policy.json (a test holds the two equal).
 */
export function memberPermissionsPolicyJson(): string {
  const all = MEMBER_ROLE_PERMISSIONS.flatMap((group) => group.actions);
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        { Sid: "PortwatchReadOnly", Effect: "Allow", Action: all.filter((a) => !OPTIONAL_MEMBER_ACTIONS.includes(a)), Resource: "*" },
        { Sid: "OptionalManifestsOnlyForLayerAccurateCost", Effect: "Allow", Action: [...OPTIONAL_MEMBER_ACTIONS], Resource: "*" },
      ],
    },
    null,
    2,
  );
}

/** One line per service, for a page or a terminal. */
export function permissionsSummary(): string[] {
  return [
    ...MEMBER_ROLE_PERMISSIONS.map((group) => {
      const required = group.actions.filter((a) => !OPTIONAL_MEMBER_ACTIONS.includes(a));
      const optional = group.actions.filter((a) => OPTIONAL_MEMBER_ACTIONS.includes(a));
      return `${group.service}: ${required.join(", ")}${optional.length ? `; optionally ${optional.join(", ")} (image manifests only)` : ""} (${group.why})`;
    }),
    "Organizations discovery (management account role only): organizations:ListAccounts",
    "Cost (payer account role only): ce:GetCostAndUsage, ce:GetCostForecast, ce:GetDimensionValues",
    "Nothing is written; no image layers are downloaded.",
  ];
}
