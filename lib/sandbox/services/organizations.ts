import { AwsError } from "../errors";
import type { SandboxOrganization } from "../organization";
import type { JsonService } from "../protocols";
import { decodeToken, page, pageSize } from "./pagination";

/** Organizations (JSON 1.1): ListAccounts from the management account only. */
export function organizationsService(org: SandboxOrganization): JsonService {
  return {
    protocol: "json",
    targetPrefix: "AWSOrganizationsV20161128",
    operations: {
      ListAccounts({ input, caller }) {
        if (caller.accountId !== org.managementAccountId) {
          throw new AwsError("AccessDeniedException", "You don't have permissions to access this resource.");
        }
        const size = pageSize(input.MaxResults, 20, 20, "InvalidInputException");
        const offset = decodeToken(input.NextToken, "ListAccounts", "InvalidInputException");
        const all = [
          { Id: org.managementAccountId, Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`, Email: "aws+management@example.com", Name: "management", Status: "ACTIVE", State: "ACTIVE", JoinedMethod: "INVITED", JoinedTimestamp: new Date(org.now.getTime() - 2500 * 86_400_000) },
          ...org.accounts.map((a) => ({
            Id: a.id,
            Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${a.id}`,
            Email: a.email,
            Name: a.name,
            Status: a.status,
            State: a.status,
            JoinedMethod: "CREATED",
            JoinedTimestamp: a.joinedAt,
          })),
        ];
        const { items, nextToken } = page(all, offset, size, "ListAccounts");
        return { Accounts: items, ...(nextToken ? { NextToken: nextToken } : {}) };
      },
    },
  };
}
