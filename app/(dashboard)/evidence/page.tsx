import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Evidence" };

export default async function EvidencePage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Evidence" description="Verifiable evidence exports for auditors." />
      <EmptyState title="No evidence exports yet">
        <p>Once results exist, auditors export evidence for a framework and scope at a point in time as PDF, CSV, JSON or OSCAL, each with a manifest and hash chain that portwatch verify checks. Exports made are listed here with who made them.</p>
      </EmptyState>
    </>
  );
}
