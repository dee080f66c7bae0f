"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import styles from "./costs.module.css";

const LINKS = [
  { href: "/costs", label: "Overview" },
  { href: "/costs/repositories", label: "Repositories" },
  { href: "/costs/savings", label: "Savings" },
] as const;

/**
 * The costs pages' own navigation, shown under each one's header. A client leaf only to know
 * which page is open (the overview is /costs itself; the others include their sub-pages).
 */
export function CostsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Costs pages" className={styles.subnav}>
      <ul>
        {LINKS.map((link) => {
          const current = link.href === "/costs" ? pathname === "/costs" : pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link href={link.href} aria-current={current ? "page" : undefined} className={current ? styles.current : undefined}>
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
