import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Compliance" };

export default async function CompliancePage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Compliance" description="Where each framework passes and fails, per control and resource, with evidence and the fix." />
      <EmptyState title="No results to show yet">
        <p>Compliance matrices for CSA CCM v5, NIST 800-53 Rev 5, AWS Foundational Security Best Practices, AWS Security Hub and the ECR cost controls appear here once a collection has completed and been evaluated: every control with its PASS, FAIL and ERROR resources, the evidence each was decided on, and accepted exceptions with their expiry.</p>
      </EmptyState>
    </>
  );
}
