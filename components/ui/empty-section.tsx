import { EmptyState } from "./empty-state";
import { PageHeader } from "./page-header";

/** A section whose data arrives with a later capability: its header and an honest empty state. */
export function EmptySection({ title, description, emptyTitle, children }: { title: string; description: string; emptyTitle: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title={emptyTitle}>
        <p>{children}</p>
      </EmptyState>
    </>
  );
}
