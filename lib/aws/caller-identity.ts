import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type AwsCredentialsInput, type ClientOptions, createClient } from "./clients";
import { toAwsFailure } from "./errors";
import type { AwsFailure } from "./types";

/**
 * Who Portwatch's base credentials are (STS GetCallerIdentity: read-only, needs no permission),
 * as the principal a member role's trust policy should name: a user's ARN as it is, an assumed
 * role's session as its role's ARN (the session name changes, the role does not).
 */
export async function collectCallerPrincipal(options: { client?: ClientOptions; credentials?: AwsCredentialsInput } = {}): Promise<{ principal: string } | { failure: AwsFailure }> {
  const sts = createClient(STSClient, { ...options.client, region: "us-east-1", credentials: options.credentials, maxAttempts: options.client?.maxAttempts ?? 2 });
  try {
    const { Arn, Account } = await sts.send(new GetCallerIdentityCommand({}));
    return { principal: principalOf(Arn ?? "", Account ?? "") };
  } catch (error) {
    return { failure: toAwsFailure(error, { accountId: "base", region: "us-east-1", service: "sts", operation: "GetCallerIdentity" }) };
  } finally {
    sts.destroy();
  }
}

export function principalOf(arn: string, account: string): string {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(arn);
  if (assumed) return `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  if (/^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]+$/.test(arn)) return arn;
  return /^\d{12}$/.test(account) ? account : arn;
}
