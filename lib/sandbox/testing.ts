import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "./credentials";
import type { RunningSandbox } from "./server";

/**
 * For tests: the configuration that points a real AWS SDK v3 client at a running sandbox
 * (the endpoint, static credentials, no retries to hide errors), and AssumeRole into an account.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const baseCredentials: AwsCredentials = { accessKeyId: BASE_ACCESS_KEY_ID, secretAccessKey: BASE_SECRET_ACCESS_KEY };

export function clientConfig(sandbox: RunningSandbox, region: string, credentials: AwsCredentials = baseCredentials) {
  return { endpoint: sandbox.url, region, credentials, maxAttempts: 1 };
}

export async function assumeRole(sandbox: RunningSandbox, accountId: string, options: { externalId?: string; roleName?: string } = {}): Promise<AwsCredentials> {
  const sts = new STSClient(clientConfig(sandbox, "us-east-1"));
  const roleArn = `arn:aws:iam::${accountId}:role/${options.roleName ?? sandbox.organization.memberRoleName}`;
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "portwatch-test", ExternalId: options.externalId ?? sandbox.organization.externalId }),
  );
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

/** Assumes the management account's Cost Explorer or Organizations reader role. */
export async function assumeManagementRole(sandbox: RunningSandbox, which: "cost" | "organizations"): Promise<AwsCredentials> {
  const org = sandbox.organization;
  const arn = which === "cost" ? org.costReaderRoleArn : org.orgReaderRoleArn;
  const sts = new STSClient(clientConfig(sandbox, "us-east-1"));
  const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "portwatch-test", ExternalId: org.externalId }));
  return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
}

/** A real SDK client of any service, acting in `accountId` through its read-only role. */
export async function clientIn<C>(sandbox: RunningSandbox, Client: new (config: ReturnType<typeof clientConfig>) => C, accountId: string, region: string): Promise<C> {
  return new Client(clientConfig(sandbox, region, await assumeRole(sandbox, accountId)));
}
