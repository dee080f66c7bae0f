import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";
import { listUsers } from "@/lib/db/users";
import { AddUserForm } from "./add-user-form";
import { UserRowControls } from "./user-row-controls";

export const metadata: Metadata = { title: "Users" };

const formatDate = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "never");

export default async function UsersPage() {
  const me = await requirePageRole(["admin"]);
  const users = await listUsers();
  return (
    <>
      <PageHeader title="Users" description="Who can sign in, and what each role may do." />
      <section className="card">
        <h2>Roles</h2>
        <dl className="facts">
          {ROLES.map((role) => (
            <div key={role} className="fact-row">
              <dt>{role}</dt>
              <dd>{ROLE_DESCRIPTIONS[role]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card">
        <h2>Add a user</h2>
        <AddUserForm />
      </section>
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Users</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Status</th>
              <th scope="col">Role and actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-testid={`user-${user.email}`}>
                <td>{user.email}</td>
                <td>{user.name ?? ""}</td>
                <td>{user.hasPassword ? "password" : "single sign-on"}</td>
                <td>{formatDate(user.lastSignInAt)}</td>
                <td>{user.disabled ? "disabled" : "active"}</td>
                <td>
                  <UserRowControls user={{ id: user.id, email: user.email, role: user.role, disabled: user.disabled }} self={user.id === me.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
