import Link from "next/link";

/** A column header that sorts the table by following a link (works without JavaScript). */
export function SortHeader({ label, href, active, direction, numeric = false }: { label: string; href: string; active: boolean; direction: "asc" | "desc"; numeric?: boolean }) {
  return (
    <th scope="col" className={numeric ? "num" : undefined} aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={href} className="sort-link">
        {label}
        {active ? <span aria-hidden="true">{direction === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}
