import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { listAwsAccounts } from "@/lib/db/aws-accounts";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  await requirePageRole(ANY_ROLE);
  const accounts = await listAwsAccounts();
  return (
    <>
      <PageHeader title="Accounts" description="The AWS accounts Portwatch reads, each through a read-only role." />
      {accounts.length === 0 ? (
        <EmptyState title="No AWS accounts yet">
          <p>
            Portwatch reads each account through a read-only IAM role that trusts it with this installation&apos;s
            external id. Accounts come from the accounts config file, from AWS Organizations discovery, or are added here
            by an admin; each is listed with its role, regions and where it came from.
          </p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">AWS accounts</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Name</th>
                <th scope="col">Environment</th>
                <th scope="col">Role</th>
                <th scope="col">Regions</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td className="mono">{account.id}</td>
                  <td>{account.name}</td>
                  <td>{account.environment}</td>
                  <td className="mono">{account.roleArn}</td>
                  <td>{account.regions.length ? account.regions.join(", ") : "default regions"}</td>
                  <td>{account.source}</td>
                  <td>{account.enabled ? "enabled" : "disabled"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
