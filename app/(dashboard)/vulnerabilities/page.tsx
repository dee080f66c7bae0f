import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Vulnerabilities" };

export default async function VulnerabilitiesPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Vulnerabilities" description="Scan findings for the latest image of each repository." />
      <EmptyState title="No scan findings collected yet">
        <p>After a collection, the findings from ECR basic and enhanced (Inspector) scanning of each repository's latest image appear here by severity, with the CVE, the affected package and the fixed version where one exists.</p>
      </EmptyState>
    </>
  );
}
