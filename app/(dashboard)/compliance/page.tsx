import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Compliance" };

export default async function CompliancePage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Compliance" description="Where each framework passes and fails, per control and resource, with evidence and the fix." emptyTitle="No results to show yet">
      Compliance matrices for CSA CCM v5, NIST 800-53 Rev 5, AWS Foundational Security Best Practices, AWS Security Hub and the ECR cost controls appear here once a collection has completed and been evaluated: every control with its PASS, FAIL and ERROR resources, the evidence each was decided on, and accepted exceptions with their expiry.
    </EmptySection>
  );
}
