import type { Metadata } from "next";
import Link from "next/link";
import { PostureChart, type PostureDay } from "@/components/charts/posture-chart";
import { EvaluationNotice } from "@/components/compliance/evaluation-notice";
import { controlHref, frameworkHref } from "@/components/compliance/links";
import { ScoreSummary } from "@/components/compliance/score-summary";
import { formatBytes, formatCount, formatDate, formatDateTime } from "@/components/tables/format";
import { SeverityLabel } from "@/components/tables/severity-counts";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { FRAMEWORKS, getFramework } from "@/lib/compliance/frameworks/index";
import { emptyCounts, formatScore, scoreOf } from "@/lib/compliance/score";
import { countAwsAccounts } from "@/lib/db/aws-accounts";
import { getControlCounts, getCurrentEvaluation, getPosture, listFailingSevereControls, totalsByFramework, type PosturePoint } from "@/lib/db/compliance-results";
import { listExpiringExceptions, listRecentlyExpiredExceptions, type ExceptionRow } from "@/lib/db/compliance-exceptions";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { getSnapshotSummary } from "@/lib/db/snapshot-summary";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { getVulnerabilityCounts, listAffectedRepositories } from "@/lib/db/vulnerabilities";
import { bySeverity } from "@/lib/severity";

export const metadata: Metadata = { title: "Overview" };

const POSTURE_DAYS = 90;
const EXPIRING_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

const counted = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

const controlTitle = (framework: string, control: string) => getFramework(framework)?.controls.find((c) => c.id === control)?.title ?? "";

/** Percent floored to 0.1, as formatScore prints it; null when nothing was judged. */
const percent = (score: number | null) => (score === null ? null : Math.floor(score * 1000) / 10);

/**
 * Every day of the window (UTC), each with the score per framework; a day without roll-ups, or
 * whose results were all ERROR / MANUAL / NOT_APPLICABLE, is null: a gap, not 0%.
 */
function postureDays(points: readonly PosturePoint[], now: Date): PostureDay[] {
  const byDay = new Map<string, Record<string, number | null>>();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = POSTURE_DAYS - 1; i >= 0; i--) byDay.set(new Date(today - i * DAY_MS).toISOString().slice(0, 10), {});
  for (const point of points) {
    const scores = byDay.get(point.day) ?? {};
    scores[point.framework] = percent(scoreOf(point.counts));
    byDay.set(point.day, scores);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, scores]) => ({ day, scores: Object.fromEntries(FRAMEWORKS.map((f) => [f.id, scores[f.id] ?? null])) }));
}

function exceptionScope(e: ExceptionRow): string {
  return [e.accountId ? `account ${e.accountId}` : "every account", e.region ?? "every region", e.resourcePattern === "*" ? "every resource" : e.resourcePattern].join(" · ");
}

function ExceptionTable({ caption, rows, expired }: { caption: string; rows: ExceptionRow[]; expired: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Framework</th>
            <th scope="col">Scope</th>
            <th scope="col">Owner</th>
            <th scope="col">Reason</th>
            <th scope="col">{expired ? "Expired" : "Expires"}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">
                <Link href={controlHref(e.framework, e.control)}>{e.control}</Link>
              </td>
              <td>{getFramework(e.framework)?.name ?? e.framework}</td>
              <td className="wrap-cell">{exceptionScope(e)}</td>
              <td>{e.owner}</td>
              <td className="wrap-cell">{e.reason}</td>
              <td className="nowrap">
                {expired ? <span className="badge danger">expired</span> : null} {formatDate(e.expiresAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function OverviewPage() {
  const user = await requirePageRole(ANY_ROLE);
  const [accounts, runId, evaluation] = await Promise.all([countAwsAccounts(), getVisibleRunId(), getCurrentEvaluation()]);
  const summary = runId ? await getSnapshotSummary(runId) : null;
  const header = <PageHeader title="Overview" description="ECR security posture and cost across your AWS organisation." />;

  if (!summary || runId === null) {
    return (
      <>
        {header}
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
      </>
    );
  }

  const [controlCounts, failing, posture, vulnerabilities, criticalRepositories, expiring, expired] = await Promise.all([
    evaluation ? getControlCounts(evaluation.id) : Promise.resolve([]),
    evaluation ? listFailingSevereControls(evaluation.id, 10) : Promise.resolve([]),
    getPosture(POSTURE_DAYS),
    getVulnerabilityCounts(runId),
    listAffectedRepositories(runId, { severity: "CRITICAL" }, 5),
    listExpiringExceptions(EXPIRING_WITHIN_DAYS),
    listRecentlyExpiredExceptions(),
  ]);

  const totals = totalsByFramework(controlCounts);
  // Failing critical/high controls per framework, from the per-control counts and the packs' severities.
  const failingSevere = new Map<string, number>();
  for (const row of controlCounts) {
    if (row.counts.FAIL === 0) continue;
    const severity = getFramework(row.framework)?.controls.find((c) => c.id === row.control)?.severity;
    if (severity === "critical" || severity === "high") failingSevere.set(row.framework, (failingSevere.get(row.framework) ?? 0) + 1);
  }
  const days = postureDays(posture, new Date());
  const judgedDays = days.filter((d) => Object.values(d.scores).some((s) => s !== null));
  const critical = vulnerabilities.bySeverity.find((b) => b.severity === "CRITICAL");

  return (
    <>
      {header}
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
        <p className="muted">Cost trends appear here once Cost Explorer data is collected.</p>
      </section>

      {evaluation ? (
        <EvaluationNotice evaluation={evaluation} />
      ) : (
        <p className="notice" role="status" data-testid="compliance-missing">
          <strong>Not evaluated yet:</strong> compliance scores appear here once run <Link href={`/runs/${runId}`}>#{runId}</Link> has been evaluated.
        </p>
      )}

      <section className="card" aria-labelledby="scores">
        <h2 id="scores">Compliance score by framework</h2>
        {evaluation ? (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Score per framework, with the ERROR and MANUAL results that are not in it</caption>
              <thead>
                <tr>
                  <th scope="col">Framework</th>
                  <th scope="col">Score</th>
                  <th scope="col" className="num">
                    Failing critical / high controls
                  </th>
                </tr>
              </thead>
              <tbody>
                {FRAMEWORKS.map((framework) => (
                  <tr key={framework.id}>
                    <th scope="row">
                      <Link href={frameworkHref(framework.id)}>{framework.name}</Link>
                    </th>
                    <td>
                      <ScoreSummary counts={totals.get(framework.id) ?? emptyCounts()} size="small" />
                    </td>
                    <td className={`num${failingSevere.get(framework.id) ? " text-danger" : ""}`}>{formatCount(failingSevere.get(framework.id) ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">Nothing has been evaluated yet.</p>
        )}
        <p className="small muted">Score: (PASS + INHERITED + EXCEPTED) ÷ (every result except NOT APPLICABLE, ERROR and MANUAL). ERROR and MANUAL are shown beside it, never folded in.</p>
      </section>

      <section className="card" aria-labelledby="posture">
        <h2 id="posture">Posture over the last {POSTURE_DAYS} days</h2>
        {judgedDays.length === 0 ? (
          <p className="muted">No daily results yet: the score of each framework per day appears here as evaluations accumulate.</p>
        ) : (
          <>
            <figure style={{ margin: 0 }}>
              <PostureChart series={FRAMEWORKS.map((f) => ({ id: f.id, name: f.name }))} days={days} />
              <figcaption className="small muted">Score per framework per day (UTC). A gap is a day with no evaluation or nothing that could be judged.</figcaption>
            </figure>
            <details>
              <summary>Posture as a table</summary>
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Score per framework per day; days without results are left out</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      {FRAMEWORKS.map((f) => (
                        <th key={f.id} scope="col" className="num">
                          {f.name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {judgedDays
                      .slice()
                      .reverse()
                      .map((d) => (
                        <tr key={d.day}>
                          <th scope="row" className="nowrap">
                            {d.day}
                          </th>
                          {FRAMEWORKS.map((f) => {
                            const value = d.scores[f.id];
                            return (
                              <td key={f.id} className="num">
                                {value === null ? <span className="muted">n/a</span> : formatScore(value / 100)}
                              </td>
                            );
                          })}
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="failing-controls">
        <h2 id="failing-controls">Failing critical and high controls</h2>
        {!evaluation ? (
          <p className="muted">Nothing has been evaluated yet.</p>
        ) : failing.length === 0 ? (
          <p>No critical or high control fails.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Critical and high controls with failing resources, worst first</caption>
              <thead>
                <tr>
                  <th scope="col">Control</th>
                  <th scope="col">Framework</th>
                  <th scope="col">Title</th>
                  <th scope="col">Severity</th>
                  <th scope="col" className="num">
                    Failing resources
                  </th>
                </tr>
              </thead>
              <tbody>
                {failing.map((c) => (
                  <tr key={`${c.framework}/${c.control}`}>
                    <td className="nowrap">
                      <Link href={controlHref(c.framework, c.control, { status: ["FAIL"] })}>{c.control}</Link>
                    </td>
                    <td>{getFramework(c.framework)?.name ?? c.framework}</td>
                    <td>{controlTitle(c.framework, c.control)}</td>
                    <td>{c.severity}</td>
                    <td className="num">{formatCount(c.fail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="critical-vulnerabilities">
        <h2 id="critical-vulnerabilities">Critical vulnerabilities in the latest images</h2>
        {!critical ? (
          <p>No critical finding in the latest scanned image of any repository.</p>
        ) : (
          <>
            <p>
              <SeverityLabel severity="CRITICAL" /> {counted(critical.vulnerabilities, "vulnerability", "vulnerabilities")} ({counted(critical.findings, "finding")}) in{" "}
              {counted(critical.repositories, "repository", "repositories")}. <Link href="/vulnerabilities?severity=CRITICAL">See the critical vulnerabilities</Link>
            </p>
            {criticalRepositories.length ? (
              <>
                <h3>Most affected repositories</h3>
                <ul className="link-list">
                  {criticalRepositories.map((r) => (
                    <li key={r.arn}>
                      <Link href={repositoryHref(r)}>{r.name}</Link> <span className="muted small">{r.accountId} · {r.region}</span>: {counted(r.counts.CRITICAL ?? 0, "critical finding")}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="exceptions">
        <h2 id="exceptions">Exceptions</h2>
        <h3>Expiring in the next {EXPIRING_WITHIN_DAYS} days</h3>
        {expiring.length === 0 ? (
          <p className="muted">No exception expires in the next {EXPIRING_WITHIN_DAYS} days.</p>
        ) : (
          <ExceptionTable caption={`Exceptions expiring in the next ${EXPIRING_WITHIN_DAYS} days, soonest first`} rows={expiring} expired={false} />
        )}
        <h3>Expired</h3>
        {expired.length === 0 ? (
          <p className="muted">No exception has expired recently.</p>
        ) : (
          <>
            <p className="small muted">These no longer apply: an evaluation after their expiry counts the FAILs they covered as FAIL again.</p>
            <ExceptionTable caption="Expired exceptions, most recent first" rows={expired} expired />
          </>
        )}
      </section>
    </>
  );
}
