import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE, ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { listSigningKeys } from "@/lib/db/evidence-exports";
import { getUserById } from "@/lib/db/users";
import { formatDateTime } from "@/components/tables/format";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageRole(ANY_ROLE);
  const [account, keys] = await Promise.all([getUserById(user.id), listSigningKeys()]);
  const hasPassword = account?.hasPassword ?? false;
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
      <section className="card" aria-labelledby="signing-keys">
        <h2 id="signing-keys">Evidence signing keys</h2>
        {keys.length === 0 ? (
          <p className="muted">No key yet: Portwatch makes its Ed25519 signing key when it makes its first evidence export.</p>
        ) : (
          <>
            <p className="small muted">
              Every evidence export&apos;s manifest is signed with this installation&apos;s Ed25519 key. Anyone can check a signature with the public key; <code>portwatch verify --public-key</code> prints it too.
            </p>
            {keys.map((k) => (
              <div key={k.keyId}>
                <p className="small">
                  Key <code>{k.keyId}</code>, created {formatDateTime(k.createdAt)}
                  {k.retiredAt ? `, retired ${formatDateTime(k.retiredAt)} (still verifies the exports it signed)` : " (current)"}
                </p>
                <pre className="code-block">{k.publicKeyPem}</pre>
              </div>
            ))}
          </>
        )}
      </section>
    </>
  );
}
