import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Evidence" };

export default async function EvidencePage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Evidence" description="Verifiable evidence exports for auditors." emptyTitle="No evidence exports yet">
      Once results exist, auditors export evidence for a framework and scope at a point in time as PDF, CSV, JSON or OSCAL, each with a manifest and hash chain that portwatch verify checks. Exports made are listed here with who made them.
    </EmptySection>
  );
}
