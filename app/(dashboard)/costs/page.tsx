import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Costs" };

export default async function CostsPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Costs" description="ECR spend by account, region and usage type, with forecast and savings." />
      <EmptyState title="No Cost Explorer data yet">
        <p>Once a collection has read Cost Explorer through the configured cost role, this page shows daily and monthly ECR cost by account, region and usage type, the forecast to month end, the cost of each repository and what a lifecycle policy would save.</p>
      </EmptyState>
    </>
  );
}
