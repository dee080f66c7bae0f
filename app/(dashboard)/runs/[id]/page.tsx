import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/tables/format";
import { PageHeader } from "@/components/ui/page-header";
import { QueryProvider } from "@/components/providers/query-provider";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { getRunDetail, listCollectionErrors, parseRunId } from "@/lib/db/runs";
import { RunProgress } from "./run-progress";

const ERROR_LIMIT = 2000;

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: parseRunId(id) ? `Run #${id}` : "Run" };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageRole(ANY_ROLE);
  const runId = parseRunId((await params).id);
  if (runId === null) notFound();
  const [detail, errors] = await Promise.all([getRunDetail(runId), listCollectionErrors(runId, { limit: ERROR_LIMIT })]);
  if (!detail) notFound();

  return (
    <>
      <p className="small">
        <Link href="/runs">← All runs</Link>
      </p>
      <PageHeader title={`Run #${runId}`} description="What this collection read, how far it got, and every AWS call that failed." />
      <QueryProvider>
        <RunProgress initial={detail} />
      </QueryProvider>

      <section aria-labelledby="run-errors">
        <h2 id="run-errors">Failed AWS calls</h2>
        {errors.total === 0 ? (
          <p className="muted">No AWS call failed{detail.run.status === "queued" || detail.run.status === "running" ? " so far" : ""}.</p>
        ) : (
          <>
            <p className="small">
              {errors.total} failed call{errors.total === 1 ? "" : "s"}
              {errors.total > ERROR_LIMIT ? `; the first ${ERROR_LIMIT} are shown` : ""}, by account and region.
            </p>
            {errors.groups.map((group) => (
              <section key={`${group.accountId}/${group.region}`} className="error-group" aria-label={`Errors in ${group.accountId} ${group.region}`}>
                <h3>
                  <span className="mono">{group.accountId}</span> · {group.region}{" "}
                  <span className="muted small">({group.errors.length})</span>
                </h3>
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Call</th>
                        <th scope="col">Resource</th>
                        <th scope="col">Error</th>
                        <th scope="col">Message</th>
                        <th scope="col">When</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.errors.map((error) => (
                        <tr key={error.id}>
                          <td className="mono">
                            {error.service}:{error.operation}
                          </td>
                          <td className="mono">{error.resource ?? ""}</td>
                          <td className="mono">
                            {error.errorName} <span className="muted">({error.kind})</span>
                          </td>
                          <td>{error.message}</td>
                          <td className="nowrap">{formatDateTime(error.at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))}
          </>
        )}
      </section>
    </>
  );
}
