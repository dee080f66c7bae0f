import type { Metadata } from "next";
import Link from "next/link";
import { EvaluationNotice } from "@/components/compliance/evaluation-notice";
import { frameworkHref } from "@/components/compliance/links";
import { ScoreSummary } from "@/components/compliance/score-summary";
import { StatusCountList } from "@/components/compliance/status-counts";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { FRAMEWORKS } from "@/lib/compliance/frameworks/index";
import { emptyCounts } from "@/lib/compliance/score";
import { getControlCounts, getCurrentEvaluation, totalsByFramework } from "@/lib/db/compliance-results";
import { getVisibleRunId } from "@/lib/db/snapshot";

export const metadata: Metadata = { title: "Compliance" };

export default async function CompliancePage() {
  const user = await requirePageRole(ANY_ROLE);
  const header = <PageHeader title="Compliance" description="Where each framework passes and fails, per control and resource, with evidence and the fix." />;
  const evaluation = await getCurrentEvaluation();

  if (!evaluation) {
    const visibleRunId = await getVisibleRunId();
    return (
      <>
        {header}
        <EmptyState
          title="No results to show yet"
          action={visibleRunId === null && (user.role === "admin" || user.role === "security") ? { href: "/runs", label: "Start a collection" } : undefined}
        >
          <p>
            {visibleRunId === null
              ? "Nothing has been evaluated yet: no collection has completed."
              : `Nothing has been evaluated yet: run #${visibleRunId} is being evaluated and its results appear here when it finishes.`}
          </p>
          <p>
            Compliance matrices for CSA CCM v5, NIST 800-53 Rev 5, AWS Foundational Security Best Practices, AWS Security Hub and the ECR cost controls
            appear here once a collection has completed and been evaluated: every control with its PASS, FAIL and ERROR resources, the evidence each was
            decided on, and accepted exceptions with their expiry.
          </p>
        </EmptyState>
      </>
    );
  }

  // One GROUP BY over the evaluation: per (framework, control) counts; everything below derives from it.
  const controlCounts = await getControlCounts(evaluation.id);
  const totals = totalsByFramework(controlCounts);
  const failingByFramework = new Map<string, { critical: number; high: number }>();
  for (const row of controlCounts) {
    if (row.counts.FAIL === 0) continue;
    const severity = FRAMEWORKS.find((f) => f.id === row.framework)?.controls.find((c) => c.id === row.control)?.severity;
    if (severity !== "critical" && severity !== "high") continue;
    const entry = failingByFramework.get(row.framework) ?? { critical: 0, high: 0 };
    entry[severity] += 1;
    failingByFramework.set(row.framework, entry);
  }

  return (
    <>
      {header}
      <EvaluationNotice evaluation={evaluation} />
      {user.role === "admin" || user.role === "security" ? (
        <p className="small">
          Thresholds the checks compare against are in <Link href="/settings/compliance">Settings → Compliance</Link>.
        </p>
      ) : null}
      {FRAMEWORKS.map((framework) => {
        const counts = totals.get(framework.id) ?? emptyCounts();
        const failing = failingByFramework.get(framework.id) ?? { critical: 0, high: 0 };
        const headingId = `framework-${framework.id}`;
        return (
          <section key={framework.id} className="card" aria-labelledby={headingId} data-testid={`framework-card-${framework.id}`}>
            <h2 id={headingId}>
              <Link href={frameworkHref(framework.id)}>{framework.name}</Link> <span className="muted small">{framework.version}</span>
            </h2>
            <p className="muted small">{framework.description}</p>
            <ScoreSummary counts={counts} />
            <div style={{ marginTop: "0.5rem" }}>
              <StatusCountList counts={counts} all label={`${framework.name} results per status`} />
            </div>
            <p className={failing.critical + failing.high > 0 ? "text-danger" : "muted"} style={{ marginBottom: 0 }}>
              {failing.critical + failing.high === 0
                ? "No critical or high control is failing."
                : `${failing.critical + failing.high} critical/high ${failing.critical + failing.high === 1 ? "control is" : "controls are"} failing (${failing.critical} critical, ${failing.high} high) of ${framework.controls.length} controls.`}
            </p>
          </section>
        );
      })}
    </>
  );
}
