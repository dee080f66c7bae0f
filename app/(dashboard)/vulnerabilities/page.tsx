import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Vulnerabilities" };

export default async function VulnerabilitiesPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Vulnerabilities" description="Scan findings for the latest image of each repository." emptyTitle="No scan findings collected yet">
      After a collection, the findings from ECR basic and enhanced (Inspector) scanning of each repository's latest image appear here by severity, with the CVE, the affected package and the fixed version where one exists.
    </EmptySection>
  );
}
