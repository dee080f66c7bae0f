import type { Metadata } from "next";
import Link from "next/link";
import { formatBytes, formatCount, formatDateTime } from "@/components/tables/format";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { countAwsAccounts } from "@/lib/db/aws-accounts";
import { getSnapshotSummary } from "@/lib/db/snapshot-summary";
import { bySeverity } from "@/lib/severity";
import { getVisibleRunId } from "@/lib/db/snapshot";

export const metadata: Metadata = { title: "Overview" };

const counted = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export default async function OverviewPage() {
  const user = await requirePageRole(ANY_ROLE);
  const [accounts, runId] = await Promise.all([countAwsAccounts(), getVisibleRunId()]);
  const summary = runId ? await getSnapshotSummary(runId) : null;
  return (
    <>
      <PageHeader title="Overview" description="ECR security posture and cost across your AWS organisation." />
      {summary ? (
        <section className="card" aria-labelledby="last-collection">
          <h2 id="last-collection">Last collection</h2>
          <p>
            <Link href={`/runs/${summary.runId}`}>Run #{summary.runId}</Link> finished {formatDateTime(summary.finishedAt)} ({summary.status}):{" "}
            {counted(summary.accounts, "account")}, {counted(summary.registries, "registry", "registries")}, {counted(summary.repositories, "repository", "repositories")},{" "}
            {counted(summary.images, "image")} ({formatBytes(summary.imageBytes)} as ECR reports image sizes).
          </p>
          {summary.failedTargets || summary.failedCalls ? (
            <p className="text-danger">
              {summary.failedTargets} account-region target{summary.failedTargets === 1 ? "" : "s"} and {summary.failedCalls} AWS call
              {summary.failedCalls === 1 ? "" : "s"} failed: what they cover is unknown, not compliant. <Link href={`/runs/${summary.runId}`}>See what failed</Link>.
            </p>
          ) : null}
          <p>
            Findings in the latest scanned images:{" "}
            {Object.keys(summary.findingsBySeverity).length
              ? bySeverity(summary.findingsBySeverity)
                  .map(([severity, count]) => `${formatCount(count)} ${severity.toLowerCase()}`)
                  .join(", ")
              : "none"}
            . <Link href="/vulnerabilities">Vulnerabilities</Link>
          </p>
          <p className="muted">Compliance scores per framework and cost trends appear here once they are evaluated from this data.</p>
        </section>
      ) : (
        <EmptyState
          title="No collection has run yet"
          action={accounts === 0 && user.role === "admin" ? { href: "/accounts", label: "Add an AWS account" } : undefined}
        >
          <p>
            After the first collection, this page shows the compliance score of each framework, the controls that fail
            most, the critical and high vulnerabilities in your latest images, and this month&apos;s ECR cost with its
            forecast.
          </p>
          <p>
            {accounts === 0
              ? "No AWS account is registered yet: add an account with a read-only role that trusts Portwatch."
              : `${accounts} AWS account${accounts === 1 ? " is" : "s are"} registered; results appear here once a collection completes.`}
          </p>
        </EmptyState>
      )}
    </>
  );
}
