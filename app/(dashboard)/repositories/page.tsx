import type { Metadata } from "next";
import { EmptySection } from "@/components/ui/empty-section";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Repositories" };

export default async function RepositoriesPage() {
  await requirePageRole(ANY_ROLE);
  return (
    <EmptySection title="Repositories" description="Every ECR repository across accounts and regions, with its configuration and images." emptyTitle="No repositories collected yet">
      Once a collection has read your registries, every repository appears here with its scan, tag-mutability, encryption, lifecycle and access settings, its images and what it costs to store.
    </EmptySection>
  );
}
