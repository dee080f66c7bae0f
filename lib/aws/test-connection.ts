import { DescribeRegistryCommand, ECRClient } from "@aws-sdk/client-ecr";
import { type AwsCredentialsInput, type ClientOptions, callAws, createClient, emptyStats } from "./clients";
import { accountOfRoleArn, createRoleSessions } from "./credentials";
import { AwsCallError, toAwsFailure } from "./errors";
import { createRateLimiter } from "./rate-limit";
import type { AwsFailure } from "./types";

/**
 * "Test connection" for one account: assume its role with the installation's ExternalId, then
 * make one cheap read-only ECR call (DescribeRegistry) in each region, in parallel. Nothing is
 * stored; the answer says what worked and, for what did not, AWS's own error.
 */

export interface TestConnectionOptions {
  roleArn: string;
  externalId: string;
  regions: string[];
  /** Absent: the SDK's default chain. */
  baseCredentials?: AwsCredentialsInput;
  stsRegion?: string;
  client?: ClientOptions;
}

export interface RegionTestResult {
  region: string;
  ok: boolean;
  operation: "ecr:DescribeRegistry";
  failure?: AwsFailure;
}

export interface ConnectionTestResult {
  assumeRole: { ok: true; identityArn: string } | { ok: false; failure: AwsFailure };
  /** Empty when the role could not be assumed: no region was tried. */
  regions: RegionTestResult[];
}

export async function testConnection(options: TestConnectionOptions): Promise<ConnectionTestResult> {
  const accountId = accountOfRoleArn(options.roleArn) ?? "unknown";
  const limiter = createRateLimiter();
  const sessions = createRoleSessions({ externalId: options.externalId, baseCredentials: options.baseCredentials, stsRegion: options.stsRegion, client: options.client, limiter });
  try {
    let identityArn: string;
    try {
      identityArn = (await sessions.assume(options.roleArn)).assumedRoleArn;
    } catch (error) {
      const where = { accountId, region: options.stsRegion ?? "us-east-1", service: "sts", operation: "AssumeRole", resource: options.roleArn };
      return { assumeRole: { ok: false, failure: toAwsFailure(error, where) }, regions: [] };
    }
    const credentials = sessions.provider(options.roleArn);
    const regions = await Promise.all(
      options.regions.map(async (region): Promise<RegionTestResult> => {
        const ecr = createClient(ECRClient, { ...options.client, region, credentials });
        try {
          await callAws({ accountId, region, limiter, stats: emptyStats() }, "ecr", "DescribeRegistry", undefined, (o) => ecr.send(new DescribeRegistryCommand({}), o));
          return { region, ok: true, operation: "ecr:DescribeRegistry" };
        } catch (error) {
          if (!(error instanceof AwsCallError)) throw error;
          return { region, ok: false, operation: "ecr:DescribeRegistry", failure: error.failure };
        } finally {
          ecr.destroy();
        }
      }),
    );
    return { assumeRole: { ok: true, identityArn }, regions };
  } finally {
    sessions.destroy();
  }
}
