/** React Query keys for the Accounts page, from one place. */
export const accountQueryKeys = {
  all: ["accounts"] as const,
  connectionTest: (accountId: string) => ["accounts", accountId, "connection-test"] as const,
};
