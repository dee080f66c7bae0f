import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { AUDIT_LOG_READERS } from "@/lib/audit-roles";
import { requirePageRole } from "@/lib/auth/guard";
import { listAuditLog } from "@/lib/db/audit";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 100;

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requirePageRole(AUDIT_LOG_READERS);
  const { before } = await searchParams;
  const rows = await listAuditLog({ limit: PAGE_SIZE, before: before && /^\d{1,19}$/.test(before) ? before : undefined });
  return (
    <>
      <PageHeader title="Audit log" description="Every change to users, roles and settings, and every sign-in. Append-only." />
      <p>
        <a className="button secondary" href="/api/audit-log?format=csv" download>
          Download CSV
        </a>
      </p>
      {rows.length === 0 ? (
        <p>No entries.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Audit log</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="mono">{row.at.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{row.actorEmail}</td>
                  <td className="mono">{row.action}</td>
                  <td>
                    {row.targetType}
                    {row.targetId ? <span className="mono"> {row.targetId}</span> : null}
                  </td>
                  <td className="mono small">{JSON.stringify(row.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length === PAGE_SIZE ? <Link href={`/settings/audit?before=${rows[rows.length - 1].id}`}>Older entries</Link> : null}
    </>
  );
}
