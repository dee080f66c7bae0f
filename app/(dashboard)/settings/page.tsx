import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE, ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { getUserById } from "@/lib/db/users";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageRole(ANY_ROLE);
  const hasPassword = (await getUserById(user.id))?.hasPassword ?? false;
  return (
    <>
      <PageHeader title="Settings" />
      <section className="card">
        <h2>Your account</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Role</dt>
          <dd>
            {user.role}: {ROLE_DESCRIPTIONS[user.role]}
          </dd>
        </dl>
        {hasPassword ? (
          <>
            <h3>Change your password</h3>
            <ChangePasswordForm />
          </>
        ) : (
          <p className="muted">You sign in through single sign-on: your password is managed by your identity provider.</p>
        )}
      </section>
      {user.role === "admin" || user.role === "security" || user.role === "auditor" ? (
        <section className="card">
          <h2>Administration</h2>
          <ul className="link-list">
            {user.role === "admin" ? (
              <>
                <li>
                  <Link href="/settings/users">Users</Link>: add people, change roles, disable, reset passwords
                </li>
                <li>
                  <Link href="/settings/general">General</Link>: organisation name and default regions
                </li>
              </>
            ) : null}
            {user.role === "admin" || user.role === "security" ? (
              <li>
                <Link href="/settings/compliance">Compliance</Link>: the thresholds and lists the compliance checks compare against
              </li>
            ) : null}
            <li>
              <Link href="/settings/audit">Audit log</Link>: who changed users, roles and settings, and when
            </li>
          </ul>
        </section>
      ) : null}
    </>
  );
}
