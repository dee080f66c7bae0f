import { FilterActions, FilterSelect } from "@/components/tables/filter-form";
import { StatusSelect } from "@/components/compliance/status-select";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvaluationNotice } from "@/components/compliance/evaluation-notice";
import { firstParam, frameworkHref, parseSeverities, parseStatuses, type SearchParams, SEVERITIES } from "@/components/compliance/links";
import { ScoreSummary } from "@/components/compliance/score-summary";
import { STATUS_LABELS } from "@/components/compliance/status-badge";
import { StatusCountList } from "@/components/compliance/status-counts";
import { ComplianceMatrix, type MatrixAccount } from "@/components/matrix/compliance-matrix";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { addCounts, emptyCounts } from "@/lib/compliance/score";
import { listAwsAccounts } from "@/lib/db/aws-accounts";
import { getControlCounts, getCurrentEvaluation, getMatrix } from "@/lib/db/compliance-results";

type Params = Promise<{ framework: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const framework = getFramework((await params).framework);
  return { title: framework ? `${framework.name} · Compliance` : "Compliance" };
}

export default async function FrameworkMatrixPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  await requirePageRole(ANY_ROLE);
  const framework = getFramework((await params).framework);
  if (!framework) notFound();
  const query = await searchParams;
  const byRegion = firstParam(query, "by") === "region";
  const status = parseStatuses(query);
  const severity = parseSeverities(query);
  const environmentParam = firstParam(query, "environment");

  const header = (
    <>
      <p className="small">
        <Link href="/compliance">← Compliance</Link>
      </p>
      <PageHeader title={`${framework.name} ${framework.version}`} description={framework.description} />
    </>
  );

  const evaluation = await getCurrentEvaluation();
  if (!evaluation) {
    return (
      <>
        {header}
        <EmptyState title="No results to show yet">
          <p>Nothing has been evaluated yet. The matrix of {framework.controls.length} controls by account appears here once a collection has completed and been evaluated.</p>
        </EmptyState>
      </>
    );
  }

  const accountRows = await listAwsAccounts();
  const accounts = new Map<string, MatrixAccount>(accountRows.map((a) => [a.id, { name: a.name, environment: a.environment }]));
  const environments = [...new Set(accountRows.map((a) => a.environment))].sort();
  const environment = environmentParam && environments.includes(environmentParam) ? environmentParam : undefined;
  const filter = { status: status.length ? status : undefined, severity: severity.length ? severity : undefined, environment };
  const filtered = Boolean(filter.status || filter.severity || filter.environment);

  const [cells, controlCounts] = await Promise.all([
    getMatrix(evaluation.id, framework.id, filter, byRegion),
    getControlCounts(evaluation.id, { framework: framework.id }),
  ]);

  const total = controlCounts.reduce((acc, row) => addCounts(acc, row.counts), emptyCounts());
  const shown = cells.reduce((acc, cell) => addCounts(acc, cell.counts), emptyCounts());
  const withResults = new Set(cells.map((c) => c.control));
  const controls = framework.controls.filter((c) => (severity.length === 0 || severity.includes(c.severity)) && (!filtered || withResults.has(c.id)));
  const failingSevere = controlCounts.filter((row) => row.counts.FAIL > 0 && framework.controls.some((c) => c.id === row.control && (c.severity === "critical" || c.severity === "high"))).length;
  const current = { byRegion, status, severity, environment };

  return (
    <>
      {header}
      <EvaluationNotice evaluation={evaluation} />
      <section className="card" aria-labelledby="framework-score">
        <h2 id="framework-score">Score</h2>
        <ScoreSummary counts={total} />
        <div style={{ marginTop: "0.5rem" }}>
          <StatusCountList counts={total} all label="Results per status" />
        </div>
        <p className={failingSevere ? "text-danger" : "muted"} style={{ marginBottom: 0 }}>
          {failingSevere === 0 ? "No critical or high control is failing." : `${failingSevere} critical/high ${failingSevere === 1 ? "control is" : "controls are"} failing.`}
        </p>
        {filtered ? (
          <p className="small" style={{ marginBottom: 0 }}>
            In the filtered view: <ScoreSummary counts={shown} size="small" />
          </p>
        ) : null}
      </section>

      <form className="form inline filters" method="get" action={frameworkHref(framework.id)} aria-label="Filter the matrix">
        <StatusSelect selected={status} />
        <FilterSelect label="Severity" name="severity" value={severity.length === 1 ? severity[0] : ""} options={SEVERITIES} />
        <FilterSelect label="Environment" name="environment" value={environment} options={environments} />
        {byRegion ? <input type="hidden" name="by" value="region" /> : null}
        <FilterActions filtered={filtered} clearHref={frameworkHref(framework.id, { byRegion })} />
      </form>

      <p className="row-controls small">
        <span>Columns:</span>
        {byRegion ? (
          <>
            <strong>account × region</strong>
            <Link href={frameworkHref(framework.id, { ...current, byRegion: false })}>One column per account</Link>
          </>
        ) : (
          <>
            <strong>one per account</strong>
            <Link href={frameworkHref(framework.id, { ...current, byRegion: true })}>Split accounts by region</Link>
          </>
        )}
      </p>

      {filtered && status.length > 1 ? <p className="small muted">Showing statuses: {status.map((s) => STATUS_LABELS[s]).join(", ")}.</p> : null}

      {controls.length === 0 ? (
        <p className="muted">{filtered ? "No control has results that match the filter." : "This framework has no controls."}</p>
      ) : cells.length === 0 ? (
        <p className="muted">{filtered ? "No result matches the filter." : "This evaluation has no results for this framework."}</p>
      ) : (
        <ComplianceMatrix framework={framework.id} controls={controls} cells={cells} accounts={accounts} byRegion={byRegion} status={status} />
      )}
    </>
  );
}
