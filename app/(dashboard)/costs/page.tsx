import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Costs" };

export default async function CostsPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Costs" description="ECR spend by account, region and usage type, with forecast and savings." emptyTitle="No Cost Explorer data yet">
      Once a collection has read Cost Explorer through the configured cost role, this page shows daily and monthly ECR cost by account, region and usage type, the forecast to month end, the cost of each repository and what a lifecycle policy would save.
    </EmptySection>
  );
}
