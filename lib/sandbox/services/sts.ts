import { issueSession } from "../credentials";
import { AwsError } from "../errors";
import { findAccount, type SandboxOrganization } from "../organization";
import { xmlEscape, type QueryService } from "../protocols";

/**
 * STS (query protocol, XML). AssumeRole enforces each role's trust policy as the sandbox models
 * it: the role must exist and the ExternalId must be the one it demands.
 */
const NS = "https://sts.amazonaws.com/doc/2011-06-15/";
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;

interface AssumeRoleResult {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleArn: string;
  assumedRoleId: string;
}

export function stsService(org: SandboxOrganization, clock: () => number): QueryService {
  return {
    protocol: "query",
    errorStyle: "sts",
    operations: {
      AssumeRole({ input, caller }) {
        const roleArn = String(input.RoleArn ?? "");
        const sessionName = String(input.RoleSessionName ?? "");
        const duration = input.DurationSeconds === undefined ? 3600 : Number(input.DurationSeconds);
        if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
          throw new AwsError("ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
          throw new AwsError("ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        }
        const match = ROLE_ARN.exec(roleArn);
        if (!match) throw new AwsError("ValidationError", `${roleArn} is invalid`);
        const [, accountId, roleName] = match;
        const denied = () =>
          new AwsError("AccessDenied", `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);

        const account = findAccount(org, accountId);
        const managementRoles = [org.orgReaderRoleArn, org.costReaderRoleArn];
        if (accountId === org.managementAccountId) {
          if (!managementRoles.includes(roleArn)) throw denied();
        } else if (!account || account.status !== "ACTIVE" || account.roleName !== roleName) {
          throw denied();
        }
        const demanded = account?.externalId ?? org.externalId;
        if (input.ExternalId !== demanded) throw denied();
        // Roles trust a one-hour session at most (the member-role template's MaxSessionDuration).
        if (duration > 3600) {
          throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        const session = issueSession(accountId, roleArn, sessionName, new Date(clock() + duration * 1000));
        return {
          ...session,
          assumedRoleArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
          assumedRoleId: `AROA${accountId}SANDBOX:${sessionName}`,
        } satisfies AssumeRoleResult;
      },
      GetCallerIdentity({ caller }) {
        return { account: caller.accountId, arn: caller.arn, userId: caller.roleArn ? `AROA${caller.accountId}SANDBOX` : "AIDAPORTWATCHSANDBOX" };
      },
    },
    render(operation, result, requestId) {
      if (operation === "AssumeRole") {
        const r = result as AssumeRoleResult;
        return `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials><AccessKeyId>${r.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(r.secretAccessKey)}</SecretAccessKey><SessionToken>${xmlEscape(r.sessionToken)}</SessionToken><Expiration>${r.expiration.toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>${xmlEscape(r.assumedRoleId)}</AssumedRoleId><Arn>${xmlEscape(r.assumedRoleArn)}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
      }
      const r = result as { account: string; arn: string; userId: string };
      return `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${xmlEscape(r.arn)}</Arn><UserId>${xmlEscape(r.userId)}</UserId><Account>${r.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    },
  };
}
