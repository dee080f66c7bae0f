import Link from "next/link";

interface EmptyStateProps {
  title: string;
  /** What will appear here once there is data. */
  children: React.ReactNode;
  /** How to get the data, when there is a next step for this user. */
  action?: { href: string; label: string };
}

export function EmptyState({ title, children, action }: EmptyStateProps) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-state-body">{children}</div>
      {action ? (
        <Link className="button" href={action.href}>
          {action.label}
        </Link>
      ) : null}
    </section>
  );
}
