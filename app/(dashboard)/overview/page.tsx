import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { countAwsAccounts } from "@/lib/db/aws-accounts";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requirePageRole(ANY_ROLE);
  const accounts = await countAwsAccounts();
  return (
    <>
      <PageHeader title="Overview" description="ECR security posture and cost across your AWS organisation." />
      <EmptyState
        title="No collection has run yet"
        action={accounts === 0 && user.role === "admin" ? { href: "/accounts", label: "Add an AWS account" } : undefined}
      >
        <p>
          After the first collection, this page shows the compliance score of each framework, the controls that fail
          most, the critical and high vulnerabilities in your latest images, and this month&apos;s ECR cost with its
          forecast.
        </p>
        <p>
          {accounts === 0
            ? "No AWS account is registered yet: add an account with a read-only role that trusts Portwatch."
            : `${accounts} AWS account${accounts === 1 ? " is" : "s are"} registered; results appear here once a collection completes.`}
        </p>
      </EmptyState>
    </>
  );
}
