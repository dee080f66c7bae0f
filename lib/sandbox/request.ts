/** What every handler needs to know about a request, decoded from its SigV4 signature and session token. */
export interface CallerIdentity {
  /** The account the call acts in. */
  accountId: string;
  /** The principal's ARN: the base user, or the assumed role's session. */
  arn: string;
  /** The access key the request was signed with. */
  accessKeyId: string;
  /** The assumed role, when the caller is an STS session. */
  roleArn?: string;
}

export interface SandboxRequest {
  /** Signing name from the credential scope: ecr, sts, organizations, kms, cloudtrail, ec2, guardduty, inspector2, ce. */
  service: string;
  region: string;
  operation: string;
  caller: CallerIdentity;
  /** The decoded input: JSON body, query parameters, or REST path/query/body merged. */
  input: Record<string, unknown>;
  requestId: string;
}

export type Handler = (request: SandboxRequest) => unknown | Promise<unknown>;
