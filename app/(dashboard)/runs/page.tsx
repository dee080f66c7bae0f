import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Runs" description="Collections: when they ran, what they read and what failed." emptyTitle="No collection has run yet">
      Each collection is listed here with its start and end, the accounts and regions it read, and every AWS call that failed, named with its account, region, operation and AWS error.
    </EmptySection>
  );
}
