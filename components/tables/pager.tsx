import Link from "next/link";

/** Previous / next links of a keyset-paginated table; a missing href shows a disabled label. */
export function Pager({ label, previousHref, nextHref, children }: { label: string; previousHref: string | null; nextHref: string | null; children?: React.ReactNode }) {
  if (!previousHref && !nextHref && !children) return null;
  return (
    <nav className="pager" aria-label={label}>
      {previousHref ? (
        <Link className="button secondary" href={previousHref} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="button secondary" aria-disabled="true">
          ← Previous
        </span>
      )}
      {children ? <span className="pager-info">{children}</span> : null}
      {nextHref ? (
        <Link className="button secondary" href={nextHref} rel="next">
          Next →
        </Link>
      ) : (
        <span className="button secondary" aria-disabled="true">
          Next →
        </span>
      )}
    </nav>
  );
}
