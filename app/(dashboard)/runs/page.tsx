import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Runs" description="Collections: when they ran, what they read and what failed." />
      <EmptyState title="No collection has run yet">
        <p>Each collection is listed here with its start and end, the accounts and regions it read, and every AWS call that failed, named with its account, region, operation and AWS error.</p>
      </EmptyState>
    </>
  );
}
