import { signOutAction } from "@/lib/actions/auth";
import type { SessionUser } from "@/lib/auth/session";
import { NAV_ITEMS } from "./nav";
import { NavLinks } from "./nav-links";

export function AppShell({ user, organisation, children }: { user: SessionUser; organisation: string; children: React.ReactNode }) {
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> Portwatch
        </div>
        <div className="org" title="Organisation">{organisation}</div>
        <NavLinks items={NAV_ITEMS} />
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="who" data-testid="current-user">
            <span className="email">{user.email}</span>
            <span className={`role role-${user.role}`}>{user.role}</span>
          </div>
          <form action={signOutAction}>
            <button type="submit" className="button secondary">
              Sign out
            </button>
          </form>
        </header>
        <main className="content">{children}</main>
      </div>
    </div>
  );
}
