import { FilterActions, FilterSelect } from "@/components/tables/filter-form";
import { StatusSelect } from "@/components/compliance/status-select";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvaluationNotice } from "@/components/compliance/evaluation-notice";
import { EvidenceDetails } from "@/components/compliance/evidence-details";
import {
  controlHref,
  firstParam,
  frameworkHref,
  parseAccountId,
  parseRegion,
  parseResource,
  parseStatuses,
  resourceLabel,
  type SearchParams,
} from "@/components/compliance/links";
import { RemediationTabs } from "@/components/compliance/remediation-tabs";
import { ScoreSummary } from "@/components/compliance/score-summary";
import { StatusBadge } from "@/components/compliance/status-badge";
import { StatusCountList } from "@/components/compliance/status-counts";
import { formatDate, formatDateTime } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { SeverityLabel } from "@/components/tables/severity-counts";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { getFramework } from "@/lib/compliance/frameworks/index";
import { REMEDIATION } from "@/lib/compliance/remediation";
import { addCounts, emptyCounts } from "@/lib/compliance/score";
import { ANY_ROLE } from "@/lib/auth/roles";
import { listAttestations } from "@/lib/db/attestations";
import { listAwsAccounts } from "@/lib/db/aws-accounts";
import { exceptionState, listExceptions } from "@/lib/db/compliance-exceptions";
import { getCurrentEvaluation, getMatrix, listResults, type StoredResult } from "@/lib/db/compliance-results";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { AttestationForm } from "./attestation-form";
import { ExceptionForm } from "./exception-form";
import { RevokeButton } from "./revoke-button";

type Params = Promise<{ framework: string; control: string }>;

const PAGE_SIZE = 50;
const DAY = 86_400_000;

/** YYYY-MM-DD (UTC), `days` days from `now`. */
function dayAhead(now: number, days: number): string {
  return new Date(now + days * DAY).toISOString().slice(0, 10);
}

function findControl(frameworkId: string, controlId: string) {
  const framework = getFramework(frameworkId);
  let id = controlId;
  try {
    id = decodeURIComponent(controlId);
  } catch {
    // A malformed escape is simply not a control id.
  }
  const control = framework?.controls.find((c) => c.id === id);
  return framework && control ? { framework, control } : null;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { framework, control } = await params;
  const found = findControl(framework, control);
  return { title: found ? `${found.control.id} · ${found.framework.name}` : "Compliance" };
}

export default async function ControlPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const user = await requirePageRole(ANY_ROLE);
  const route = await params;
  const found = findControl(route.framework, route.control);
  if (!found) notFound();
  const { framework, control } = found;
  const canEdit = user.role === "admin" || user.role === "security";
  const canDownload = canEdit || user.role === "auditor";

  const query = await searchParams;
  const status = parseStatuses(query);
  const accountId = parseAccountId(firstParam(query, "account"));
  const region = parseRegion(firstParam(query, "region"));
  const resource = firstParam(query, "resource");
  const after = firstParam(query, "after");
  const except = canEdit ? firstParam(query, "except") : undefined;
  const filter = { framework: framework.id, control: control.id, status: status.length ? status : undefined, accountId, region, resource };
  const filtered = Boolean(filter.status || accountId || region || resource);
  const current = { status, account: accountId, region, resource };

  const evaluation = await getCurrentEvaluation();
  const [accountRows, exceptions, attestations, page, scopes, exceptRow] = await Promise.all([
    listAwsAccounts(),
    listExceptions({ framework: framework.id, control: control.id }),
    control.attestation ? listAttestations({ framework: framework.id, control: control.id }) : Promise.resolve([]),
    evaluation ? listResults(evaluation.id, filter, { limit: PAGE_SIZE + 1, after: after ? { framework: framework.id, control: control.id, resource: after } : undefined }) : Promise.resolve([]),
    // Counts per account x region for this control: the filter's choices and the header's totals in one GROUP BY.
    evaluation ? getMatrix(evaluation.id, framework.id, { control: control.id }, true) : Promise.resolve([]),
    evaluation && except ? listResults(evaluation.id, { framework: framework.id, control: control.id, resource: except }, { limit: 1 }) : Promise.resolve([]),
  ]);
  const accountNames = new Map(accountRows.map((a) => [a.id, a.name]));
  const rows = page.slice(0, PAGE_SIZE);
  const nextAfter = page.length > PAGE_SIZE ? rows[rows.length - 1].resource : null;
  const counts = scopes.reduce((acc, cell) => addCounts(acc, cell.counts), emptyCounts());
  const scopeAccounts = [...new Set(scopes.map((s) => s.accountId).filter((a): a is string => a !== null))].sort((a, b) => (accountNames.get(a) ?? a).localeCompare(accountNames.get(b) ?? b));
  const scopeRegions = [...new Set(scopes.map((s) => s.region).filter((r): r is string => r !== null))].sort();
  const organizationResult = control.attestation && evaluation ? await listResults(evaluation.id, { framework: framework.id, control: control.id, resource: "organization" }, { limit: 1 }) : [];

  const now = Date.now();
  const expiry = (days: number) => ({ defaultValue: dayAhead(now, days), min: dayAhead(now, 1), max: dayAhead(now, 365) });
  const accountText = (id: string | null) => (id ? (accountNames.get(id) ? `${accountNames.get(id)} (${id})` : id) : "—");
  const prefill = exceptRow[0]
    ? { accountId: exceptRow[0].accountId ?? "", region: exceptRow[0].region ?? "", resourcePattern: exceptRow[0].resource }
    : { accountId: "", region: "", resourcePattern: except ?? "" };
  const activeAttestation = attestations.find((a) => !a.revokedAt && a.expiresAt.getTime() > now);

  const resourceCell = (row: StoredResult) => {
    const ref = parseResource(row.resource);
    if (ref.kind === "repository") {
      return (
        <>
          <Link href={repositoryHref(ref)}>{ref.name}</Link>
          <br />
          <span className="muted small">repository</span>
        </>
      );
    }
    return <span>{resourceLabel(row.resource)}</span>;
  };

  return (
    <>
      <p className="small">
        <Link href={frameworkHref(framework.id)}>← {framework.name} matrix</Link>
      </p>
      <PageHeader title={`${control.id} ${control.title}`} />
      <p className="row-controls">
        <SeverityLabel severity={control.severity} />
        <span className="muted">
          {framework.name} {framework.version}
        </span>
      </p>

      <section className="card" aria-labelledby="about-control">
        <h2 id="about-control">About this control</h2>
        <dl className="facts">
          <dt>Description</dt>
          <dd>{control.description}</dd>
          <dt>Implementation guidance</dt>
          <dd>{control.implementation}</dd>
          <dt>Checks</dt>
          <dd>
            {control.checks.map((c) => (
              <code key={c} className="tag">
                {c}
              </code>
            ))}
            {control.attestation ? <span className="muted"> and an attestation (below)</span> : null}
          </dd>
          <dt>Crosswalk</dt>
          <dd>
            {control.crosswalk?.length ? (
              <ul className="link-list" style={{ paddingLeft: "1rem" }}>
                {control.crosswalk.map((x) => (
                  <li key={x.framework}>
                    {x.framework}: {x.ids.join(", ")}
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Mapping note</dt>
          <dd>{control.mappingNote ?? <span className="muted">The mapping is the framework&apos;s own.</span>}</dd>
        </dl>
      </section>

      <section aria-labelledby="results-heading" id="results">
        {!evaluation ? (
          <>
            <h2 id="results-heading">Results</h2>
            <EmptyState title="No results to show yet">
              <p>Nothing has been evaluated yet: this control&apos;s result for each resource appears here once a collection has completed and been evaluated.</p>
            </EmptyState>
          </>
        ) : (
          <>
            <div className="card">
              <h2 id="results-heading">Results</h2>
              <EvaluationNotice evaluation={evaluation} />
              <ScoreSummary counts={counts} />
              <div style={{ marginTop: "0.5rem" }}>
                <StatusCountList counts={counts} all label={`${control.id} results per status`} />
              </div>
            </div>
            <form className="form inline filters" method="get" action={controlHref(framework.id, control.id)} aria-label="Filter results">
              <StatusSelect selected={status} />
              <FilterSelect label="Account" name="account" value={accountId} options={scopeAccounts.map((a) => [a, accountText(a)] as const)} />
              <FilterSelect label="Region" name="region" value={region} options={scopeRegions} />
              {resource ? <input type="hidden" name="resource" value={resource} /> : null}
              <FilterActions filtered={filtered} clearHref={controlHref(framework.id, control.id, {}, "results")} />
            </form>
            {resource ? (
              <p className="small">
                Showing <strong>{resourceLabel(resource)}</strong> only.
              </p>
            ) : null}
            {rows.length === 0 ? (
              <p className="muted">{filtered ? "No result matches the filter." : "This control has no results in this evaluation."}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Results for {control.id}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Resource</th>
                      <th scope="col">Account</th>
                      <th scope="col">Region</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Evidence</th>
                      {canEdit ? <th scope="col">Exception</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => {
                      const label = resourceLabel(row.resource);
                      return (
                        <tr key={row.resource}>
                          <td>
                            <StatusBadge status={row.status} />
                          </td>
                          <td className="wrap-cell">{resourceCell(row)}</td>
                          <td>
                            {row.accountId ? (
                              <>
                                {accountNames.get(row.accountId) ?? "unknown account"}
                                <br />
                                <span className="mono muted">{row.accountId}</span>
                              </>
                            ) : (
                              "—"
                            )}
                          </td>
                          <td>{row.region ?? "—"}</td>
                          <td className="wrap-cell">{row.reason}</td>
                          <td>
                            <EvidenceDetails label={label} checks={row.checks} evidence={row.evidence} />
                          </td>
                          {canEdit ? (
                            <td>
                              {row.status === "FAIL" ? (
                                <Link href={controlHref(framework.id, control.id, { ...current, after, except: row.resource }, "new-exception")}>
                                  Accept this FAIL<span className="sr-only"> for {label}</span>
                                </Link>
                              ) : row.status === "EXCEPTED" ? (
                                <span className="small muted">accepted{row.exceptionId ? " (see Exceptions)" : ""}</span>
                              ) : null}
                            </td>
                          ) : null}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            <Pager
              label="Result pages"
              previousHref={after ? controlHref(framework.id, control.id, current, "results") : null}
              nextHref={nextAfter ? controlHref(framework.id, control.id, { ...current, after: nextAfter }, "results") : null}
            >
              {after ? "Previous goes back to the first page." : null}
            </Pager>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="exceptions" id="exceptions-section">
        <h2 id="exceptions">Exceptions</h2>
        <p className="muted small">
          An active exception turns a matching FAIL into EXCEPTED (counted in the score, always shown as EXCEPTED). Creating or revoking one re-evaluates the latest
          run.
        </p>
        {exceptions.length === 0 ? (
          <p className="muted">No exception has been created for {control.id}.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Exceptions for {control.id}</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Accepted by</th>
                  <th scope="col">Expires</th>
                  {canEdit ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {exceptions.map((e) => {
                  const state = exceptionState(e, new Date(now));
                  return (
                    <tr key={e.id} data-testid={`exception-${e.id}`}>
                      <td>
                        <span className={`status-badge ${state === "active" ? "status-info" : "status-muted"}`}>{state}</span>
                        {e.revokedAt ? (
                          <div className="small muted">
                            by {e.revokedBy} on {formatDateTime(e.revokedAt)}
                          </div>
                        ) : null}
                      </td>
                      <td className="wrap-cell">
                        <code>{e.resourcePattern}</code>
                        <div className="small muted">
                          {e.accountId ? accountText(e.accountId) : "any account"}, {e.region ?? "any region"}
                        </div>
                      </td>
                      <td className="wrap-cell">{e.reason}</td>
                      <td>{e.owner}</td>
                      <td>
                        {e.createdBy}
                        <div className="small muted">{formatDateTime(e.createdAt)}</div>
                      </td>
                      <td className={state === "expired" ? "text-danger nowrap" : "nowrap"}>{formatDate(e.expiresAt)}</td>
                      {canEdit ? <td>{state === "active" ? <RevokeButton kind="exception" id={e.id} label={`exception for ${e.resourcePattern}`} /> : null}</td> : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {canEdit ? (
          <div id="new-exception">
            <h3>Create an exception</h3>
            {except ? (
              <p className="small">
                Accepting the FAIL of <strong>{resourceLabel(except)}</strong>: check the scope, then say why and until when.
              </p>
            ) : null}
            <ExceptionForm
              key={except ?? ""}
              framework={framework.id}
              control={control.id}
              accounts={accountRows.map((a) => ({ id: a.id, name: a.name }))}
              regions={scopeRegions}
              initial={prefill}
              expiry={expiry(90)}
            />
          </div>
        ) : null}
      </section>

      {control.attestation ? (
        <section className="card" aria-labelledby="attestation" id="attestation-section">
          <h2 id="attestation">Attestation</h2>
          <p>{control.attestation.item}</p>
          <h3>Current state</h3>
          {organizationResult[0] ? (
            <p>
              <StatusBadge status={organizationResult[0].status} /> {organizationResult[0].reason}
            </p>
          ) : null}
          {activeAttestation ? (
            <p>
              Attested by {activeAttestation.attester} on {formatDateTime(activeAttestation.attestedAt)}, until {formatDate(activeAttestation.expiresAt)}.
            </p>
          ) : (
            <p className="muted">Not attested: the organization-scope result stays MANUAL until someone with the security role attests it.</p>
          )}
          <h3>History</h3>
          {attestations.length === 0 ? (
            <p className="muted">No attestation yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Attestations for {control.id}</caption>
                <thead>
                  <tr>
                    <th scope="col">State</th>
                    <th scope="col">Attested by</th>
                    <th scope="col">Statement</th>
                    <th scope="col">File</th>
                    <th scope="col">Expires</th>
                    {canEdit ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {attestations.map((a) => {
                    const state = a.revokedAt ? "revoked" : a.expiresAt.getTime() > now ? "active" : "expired";
                    return (
                      <tr key={a.id}>
                        <td>
                          <span className={`status-badge ${state === "active" ? "status-ok" : "status-muted"}`}>{state}</span>
                          {a.revokedAt ? (
                            <div className="small muted">
                              by {a.revokedBy} on {formatDateTime(a.revokedAt)}
                            </div>
                          ) : null}
                        </td>
                        <td>
                          {a.attester}
                          <div className="small muted">{formatDateTime(a.attestedAt)}</div>
                        </td>
                        <td className="wrap-cell">{a.text}</td>
                        <td className="wrap-cell">
                          {a.fileName ? (
                            canDownload ? (
                              <a href={`/api/attestations/${a.id}/file`} download>
                                Download {a.fileName}
                              </a>
                            ) : (
                              a.fileName
                            )
                          ) : (
                            <span className="muted">none</span>
                          )}
                          {a.fileSha256 ? <div className="small muted mono">sha256 {a.fileSha256.slice(0, 12)}…</div> : null}
                        </td>
                        <td className={state === "expired" ? "text-danger nowrap" : "nowrap"}>{formatDate(a.expiresAt)}</td>
                        {canEdit ? <td>{state === "active" ? <RevokeButton kind="attestation" id={a.id} label={`attestation by ${a.attester} of ${formatDate(a.attestedAt)}`} /> : null}</td> : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {canEdit ? (
            <>
              <h3>Attest {control.id}</h3>
              <AttestationForm framework={framework.id} control={control.id} expiry={expiry(365)} />
            </>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="remediation">
        <h2 id="remediation">Remediation</h2>
        {control.checks.map((check) => (
          <div key={check}>
            <h3>
              <code>{check}</code>
            </h3>
            <RemediationTabs checkId={check} remediation={REMEDIATION[check]} />
          </div>
        ))}
      </section>
    </>
  );
}
