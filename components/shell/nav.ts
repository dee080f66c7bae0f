export interface NavItem {
  href: string;
  label: string;
}

/** Every section of the product, shown to every role; each page checks its own role. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/overview", label: "Overview" },
  { href: "/compliance", label: "Compliance" },
  { href: "/repositories", label: "Repositories" },
  { href: "/vulnerabilities", label: "Vulnerabilities" },
  { href: "/costs", label: "Costs" },
  { href: "/accounts", label: "Accounts" },
  { href: "/runs", label: "Runs" },
  { href: "/evidence", label: "Evidence" },
  { href: "/settings", label: "Settings" },
];
