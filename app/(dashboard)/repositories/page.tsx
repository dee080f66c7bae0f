import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Repositories" };

export default async function RepositoriesPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <>
      <PageHeader title="Repositories" description="Every ECR repository across accounts and regions, with its configuration and images." />
      <EmptyState title="No repositories collected yet">
        <p>Once a collection has read your registries, every repository appears here with its scan, tag-mutability, encryption, lifecycle and access settings, its images and what it costs to store.</p>
      </EmptyState>
    </>
  );
}
