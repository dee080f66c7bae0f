import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { type AwsCredentialsInput, type ClientOptions, callAws, createClient, emptyStats } from "./clients";
import { createRateLimiter, type RateLimiter } from "./rate-limit";
import type { CallStats, OrganizationAccountRecord } from "./types";

/** The organisation's accounts (Organizations ListAccounts, from the management account or a delegated administrator). */

export interface CollectOrganizationOptions {
  /** The Organizations reader role's session (or static keys); absent: the SDK's default chain. */
  credentials?: AwsCredentialsInput;
  /** Organizations is global; its endpoint lives in us-east-1 (the default). */
  region?: string;
  /** The account the credentials act in, to name it in a failure; default "management". */
  accountId?: string;
  client?: ClientOptions;
  limiter?: RateLimiter;
  stats?: CallStats;
}

/** Every account with its status (ACTIVE, SUSPENDED, PENDING_CLOSURE...): the caller keeps the ACTIVE ones. Throws AwsCallError. */
export async function collectOrganizationAccounts(options: CollectOrganizationOptions = {}): Promise<OrganizationAccountRecord[]> {
  const stats = options.stats ?? emptyStats();
  const ctx = { accountId: options.accountId ?? "management", region: "global", limiter: options.limiter ?? createRateLimiter(), stats };
  const client = createClient(OrganizationsClient, { ...options.client, region: options.region ?? "us-east-1", credentials: options.credentials, stats });
  try {
    const accounts: OrganizationAccountRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(ctx, "organizations", "ListAccounts", undefined, (o) => client.send(new ListAccountsCommand({ MaxResults: 20, NextToken: nextToken }), o));
      for (const a of page.Accounts ?? []) {
        if (!a.Id) continue;
        // `Status` is being retired in favour of `State` (which adds PENDING_ACTIVATION, CLOSED, ...).
        accounts.push({ id: a.Id, name: a.Name ?? a.Id, email: a.Email ?? "", status: a.State ?? a.Status ?? "UNKNOWN" });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return accounts;
  } finally {
    client.destroy();
  }
}
