import type { Metadata } from "next";
import Link from "next/link";
import { formatCount, shortDigest } from "@/components/tables/format";
import { SeverityCounts } from "@/components/tables/severity-counts";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { getSnapshotSummary, listMostVulnerableRepositories } from "@/lib/db/snapshot-summary";
import { bySeverity } from "@/lib/severity";
import { getVisibleRunId } from "@/lib/db/snapshot";

export const metadata: Metadata = { title: "Vulnerabilities" };

export default async function VulnerabilitiesPage() {
  await requirePageRole(ANY_ROLE);
  const runId = await getVisibleRunId();
  const [summary, repositories] = runId ? await Promise.all([getSnapshotSummary(runId), listMostVulnerableRepositories(runId)]) : [null, []];
  return (
    <>
      <PageHeader title="Vulnerabilities" description="Scan findings for the latest image of each repository." />
      {!summary || repositories.length === 0 ? (
        <EmptyState title="No scan findings collected yet">
          <p>
            {summary
              ? `Run #${summary.runId} found no findings in the latest scanned image of any repository.`
              : "After a collection, the findings from ECR basic and enhanced (Inspector) scanning of each repository's latest image appear here by severity, with the CVE, the affected package and the fixed version where one exists."}
          </p>
        </EmptyState>
      ) : (
        <>
          <p>
            As collected by run <Link href={`/runs/${summary.runId}`}>#{summary.runId}</Link>:{" "}
            {bySeverity(summary.findingsBySeverity)
              .map(([severity, count]) => `${formatCount(count)} ${severity.toLowerCase()}`)
              .join(", ")}
            .
          </p>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Repositories by the findings in their latest image, worst first</caption>
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Account</th>
                  <th scope="col">Region</th>
                  <th scope="col">Latest image</th>
                  <th scope="col">Findings</th>
                </tr>
              </thead>
              <tbody>
                {repositories.map((r) => (
                  <tr key={r.arn}>
                    <td>
                      <Link href={repositoryHref(r)}>{r.name}</Link>
                    </td>
                    <td className="mono">{r.accountId}</td>
                    <td>{r.region}</td>
                    <td className="mono">{shortDigest(r.imageDigest)}</td>
                    <td>
                      <SeverityCounts counts={r.counts} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
