import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EvaluationNotice } from "@/components/compliance/evaluation-notice";
import { controlHref } from "@/components/compliance/links";
import { StatusBadge } from "@/components/compliance/status-badge";
import { StatusCountList } from "@/components/compliance/status-counts";
import { formatBytes, formatCount, formatDate, formatDateTime, shortDigest } from "@/components/tables/format";
import { Pager } from "@/components/tables/pager";
import { SeverityCounts, SeverityLabel } from "@/components/tables/severity-counts";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { FRAMEWORKS, getFramework } from "@/lib/compliance/frameworks/index";
import { addCounts, emptyCounts } from "@/lib/compliance/score";
import type { Scope } from "@/lib/compliance/types";
import { getCurrentEvaluation, listResultsForRepository, type StoredResult } from "@/lib/db/compliance-results";
import { listExceptionsByIds } from "@/lib/db/compliance-exceptions";
import {
  getKmsKeyFacts,
  getRepositoryDetail,
  listRepositoryFindings,
  listRepositoryImages,
  type RepositoryFilterRule,
} from "@/lib/db/repositories";
import { parseRepositoryPath, repositoryHref } from "@/lib/db/repository-list-params";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { RepositoryCost } from "@/components/cost/repository-cost";
import { LifecycleSection } from "./lifecycle-section";
import { PolicyBlock, ReadFailure } from "./policy-block";

type Params = Promise<{ account: string; region: string; name: string[] }>;

const IMAGES_PER_PAGE = 100;
const FINDINGS_LIMIT = 500;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { account, region, name } = await params;
  const path = parseRepositoryPath(account, region, name);
  return { title: path ? path.name : "Repository" };
}

function rules(list: RepositoryFilterRule[] | null): string {
  return list && list.length ? list.map((r) => `${r.filter} (${r.filterType})`).join(", ") : "";
}

/** Only web links from the scanner become links: a finding's uri is data from AWS, not trusted markup. */
const safeHref = (uri: string | null) => (uri && /^https?:\/\//i.test(uri) ? uri : null);

const SCOPE_ORDER: Record<Scope, number> = { repository: 0, registry: 1, account: 2, organization: 3 };

/**
 * Every control's result for this repository, and its registry's and account's results as
 * context, grouped by framework (FRAMEWORKS order) and in each pack's control order. One indexed
 * read: (evaluationId, resource) for three resource ids.
 */
async function ComplianceSection({ arn, accountId, region }: { arn: string; accountId: string; region: string }) {
  const evaluation = await getCurrentEvaluation();
  if (!evaluation) {
    return <p className="muted">Nothing has been evaluated yet: this repository&apos;s compliance results appear here once a collection has been evaluated.</p>;
  }
  const results = await listResultsForRepository(evaluation.id, arn, accountId, region);
  const exceptionIds = [...new Set(results.flatMap((r) => (r.status === "EXCEPTED" && r.exceptionId ? [r.exceptionId] : [])))];
  const exceptions = new Map((await listExceptionsByIds(exceptionIds)).map((e) => [e.id, e] as const));

  const order = new Map(FRAMEWORKS.map((f, i) => [f.id, i]));
  const groups = new Map<string, StoredResult[]>();
  for (const result of results) groups.set(result.framework, [...(groups.get(result.framework) ?? []), result]);
  const frameworks = [...groups.keys()].sort((a, b) => (order.get(a) ?? order.size) - (order.get(b) ?? order.size) || a.localeCompare(b));
  const controlIndex = (framework: string, control: string) => getFramework(framework)?.controls.findIndex((c) => c.id === control) ?? -1;
  const appliesTo = (r: StoredResult) =>
    r.scope === "repository" ? "this repository" : r.scope === "registry" ? `registry ${r.accountId ?? accountId} / ${r.region ?? region}` : r.scope === "account" ? `account ${r.accountId ?? accountId}` : r.scope;

  return (
    <>
      <EvaluationNotice evaluation={evaluation} />
      {results.length === 0 ? (
        <p className="muted">
          Evaluation #{evaluation.id} has no result for this repository, its registry or its account
          {evaluation.stale ? " (the repository may be newer than the run it evaluated)" : ""}.
        </p>
      ) : (
        frameworks.map((framework) => {
          const pack = getFramework(framework);
          const rows = (groups.get(framework) ?? [])
            .slice()
            .sort((a, b) => controlIndex(framework, a.control) - controlIndex(framework, b.control) || a.control.localeCompare(b.control) || SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope]);
          const counts = rows.reduce((sum, r) => addCounts(sum, { [r.status]: 1 }), emptyCounts());
          const headingId = `compliance-${framework}`;
          return (
            <div key={framework}>
              <h3 id={headingId}>{pack?.name ?? framework}</h3>
              <StatusCountList counts={counts} label={`${pack?.name ?? framework}: results per status`} />
              <div className="table-wrap">
                <table aria-labelledby={headingId}>
                  <thead>
                    <tr>
                      <th scope="col">Control</th>
                      <th scope="col">Title</th>
                      <th scope="col">Applies to</th>
                      <th scope="col">Status</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => {
                      const exception = r.exceptionId ? exceptions.get(r.exceptionId) : undefined;
                      return (
                        <tr key={`${r.control}/${r.resource}`}>
                          <td className="nowrap">
                            <Link href={controlHref(r.framework, r.control)}>{r.control}</Link>
                          </td>
                          <td>{pack?.controls.find((c) => c.id === r.control)?.title ?? ""}</td>
                          <td>{appliesTo(r)}</td>
                          <td>
                            <StatusBadge status={r.status} />
                          </td>
                          <td className="wrap-cell">
                            {r.reason}
                            {r.status === "EXCEPTED" ? (
                              <div className="small">
                                <strong>Exception:</strong>{" "}
                                {exception ? (
                                  <>
                                    {exception.reason}{" "}
                                    <span className="muted">
                                      (owner {exception.owner}, until {formatDate(exception.expiresAt)}
                                      {exception.revokedAt ? `; revoked ${formatDate(exception.revokedAt)}, so the next evaluation counts this as FAIL` : ""})
                                    </span>
                                  </>
                                ) : (
                                  <span className="muted">the exception that covered this FAIL is no longer on record</span>
                                )}
                              </div>
                            ) : null}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          );
        })
      )}
    </>
  );
}

export default async function RepositoryPage({ params, searchParams }: { params: Params; searchParams: Promise<{ images?: string }> }) {
  await requirePageRole(ANY_ROLE);
  const { account, region, name } = await params;
  const path = parseRepositoryPath(account, region, name);
  if (!path) notFound();
  const visibleRunId = await getVisibleRunId();
  if (visibleRunId === null) notFound();
  const repository = await getRepositoryDetail({ runId: visibleRunId, ...path });
  if (!repository) notFound();

  const imagesParam = (await searchParams).images;
  const imagePage = imagesParam && /^\d{1,6}$/.test(imagesParam) && Number(imagesParam) >= 1 ? Number(imagesParam) : 1;
  const [images, findings, kms] = await Promise.all([
    listRepositoryImages({ runId: repository.contentsRunId, repositoryArn: repository.arn, page: imagePage, pageSize: IMAGES_PER_PAGE }),
    listRepositoryFindings({ runId: repository.contentsRunId, repositoryArn: repository.arn, limit: FINDINGS_LIMIT }),
    repository.kmsKey ? getKmsKeyFacts(visibleRunId, repository.kmsKey) : Promise.resolve(null),
  ]);
  const errors = repository.readErrors;
  const scanError = errors.BatchGetRepositoryScanningConfiguration;
  const tagsError = errors.ListTagsForResource;
  const imagesError = errors.DescribeImages;
  // The findings kept from an earlier scan read stay shown; the failure says they may be stale.
  const findingsError = errors.DescribeImageScanFindings ?? errors.ListFindings;
  const pages = Math.max(1, Math.ceil(images.total / IMAGES_PER_PAGE));
  const href = repositoryHref(repository);
  const findingDigests = [...new Set(findings.findings.map((f) => f.imageDigest))];

  return (
    <>
      <p className="small">
        <Link href="/repositories">← All repositories</Link>
      </p>
      <PageHeader title={repository.name} description={`${repository.accountId} · ${repository.region} · ${repository.uri}`} />
      {repository.deletedInRun !== null ? (
        <p className="notice" role="status">
          This repository was deleted in run <Link href={`/runs/${repository.deletedInRun}`}>#{repository.deletedInRun}</Link>
          {repository.deletedAt ? ` (noticed ${formatDateTime(repository.deletedAt)})` : ""}. What follows is its last collected state.
        </p>
      ) : (
        <p className="small muted">As collected by run <Link href={`/runs/${visibleRunId}`}>#{visibleRunId}</Link>.</p>
      )}

      <section className="card" aria-labelledby="configuration">
        <h2 id="configuration">Configuration</h2>
        <dl className="facts">
          <div className="fact-row">
            <dt>ARN</dt>
            <dd className="mono">{repository.arn}</dd>
          </div>
          <div className="fact-row">
            <dt>Created</dt>
            <dd>{formatDateTime(repository.createdAt)}</dd>
          </div>
          <div className="fact-row">
            <dt>Tag mutability</dt>
            <dd>
              {repository.imageTagMutability}
              {rules(repository.tagMutabilityExclusions) ? <span className="muted"> · exclusions: {rules(repository.tagMutabilityExclusions)}</span> : null}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Scan on push</dt>
            <dd>{repository.scanOnPush ? "yes" : "no"} <span className="muted small">(the repository&apos;s own setting)</span></dd>
          </div>
          <div className="fact-row">
            <dt>Effective scan frequency</dt>
            <dd>
              {repository.scanFrequency ? (
                <>
                  {repository.scanFrequency}
                  {rules(repository.appliedScanFilters) ? <span className="muted"> · from registry filters {rules(repository.appliedScanFilters)}</span> : null}
                </>
              ) : scanError ? (
                <ReadFailure error={scanError} />
              ) : (
                "unknown"
              )}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Encryption</dt>
            <dd>
              {repository.encryptionType}
              {repository.kmsKey ? (
                <>
                  {" "}with <span className="mono">{repository.kmsKey}</span>
                  {kms ? (
                    <span className="muted">
                      {" "}
                      ({[kms.keyManager && `${kms.keyManager.toLowerCase()}-managed`, kms.keyState, kms.rotationEnabled === null ? null : kms.rotationEnabled ? "rotation on" : "rotation off"]
                        .filter(Boolean)
                        .join(", ")}
                      )
                    </span>
                  ) : null}
                </>
              ) : null}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Images</dt>
            <dd>
              {formatCount(repository.imageCount)} · {formatBytes(repository.imageBytes)} · last push {formatDateTime(repository.latestPushedAt, "never")}
            </dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="lifecycle-policy">
        <h2 id="lifecycle-policy">Lifecycle policy</h2>
        <PolicyBlock label="Lifecycle policy" text={repository.lifecyclePolicy} error={errors.GetLifecyclePolicy} />
      </section>

      <section className="card" aria-labelledby="storage-cost">
        <h2 id="storage-cost">Storage cost</h2>
        <RepositoryCost arn={repository.arn} accountId={repository.accountId} region={repository.region} runId={visibleRunId} />
      </section>

      <section className="card" aria-labelledby="lifecycle-what-if">
        <h2 id="lifecycle-what-if">Lifecycle what-if</h2>
        <LifecycleSection runId={repository.contentsRunId} repository={{ arn: repository.arn, name: repository.name, region: repository.region, accountId: repository.accountId }} />
      </section>

      <section className="card" aria-labelledby="repository-policy">
        <h2 id="repository-policy">Repository policy</h2>
        <PolicyBlock label="Repository policy" text={repository.repositoryPolicy} error={errors.GetRepositoryPolicy} />
      </section>

      <section className="card" aria-labelledby="tags">
        <h2 id="tags">Tags</h2>
        {tagsError ? (
          <p>
            <ReadFailure error={tagsError} />
          </p>
        ) : repository.tags && repository.tags.length ? (
          <dl className="facts">
            {repository.tags.map((tag) => (
              <div key={tag.key} className="fact-row">
                <dt className="mono">{tag.key}</dt>
                <dd className="mono">{tag.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">No tags</p>
        )}
      </section>

      <section className="card" aria-labelledby="compliance">
        <h2 id="compliance">Compliance</h2>
        <ComplianceSection arn={repository.arn} accountId={repository.accountId} region={repository.region} />
      </section>

      {Object.keys(errors).length ? (
        <section className="card" aria-labelledby="read-errors">
          <h2 id="read-errors">Calls that failed for this repository</h2>
          <ul className="link-list">
            {Object.entries(errors).map(([operation, error]) => (
              <li key={operation}>
                <span className="mono">{operation}</span>: <span className="mono">{error.errorName}</span>: {error.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="images">
        <h2 id="images">Images</h2>
        {imagesError ? (
          <p>
            Images <ReadFailure error={imagesError} />
          </p>
        ) : null}
        {images.total === 0 ? (
          imagesError ? null : <p className="muted">No images.</p>
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Images, newest push first</caption>
                <thead>
                  <tr>
                    <th scope="col">Tags</th>
                    <th scope="col">Digest</th>
                    <th scope="col" className="num">Size</th>
                    <th scope="col">Pushed</th>
                    <th scope="col">Last pulled</th>
                    <th scope="col">Scan</th>
                    <th scope="col">Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {images.images.map((image) => (
                    <tr key={image.digest}>
                      <td>{image.tags.length ? image.tags.map((t) => <code key={t} className="tag">{t}</code>) : <span className="muted">untagged</span>}</td>
                      <td className="mono" title={image.digest}>
                        {shortDigest(image.digest)}
                      </td>
                      <td className="num nowrap">{formatBytes(image.sizeBytes)}</td>
                      <td className="nowrap">{formatDateTime(image.pushedAt)}</td>
                      <td className="nowrap">{formatDateTime(image.lastPulledAt, "never recorded")}</td>
                      <td title={image.scanDescription ?? undefined}>
                        {image.scanStatus ?? <span className="muted">not scanned</span>}
                        {image.scanCompletedAt ? <div className="small muted">{formatDateTime(image.scanCompletedAt)}</div> : null}
                      </td>
                      <td>
                        <SeverityCounts counts={image.severityCounts} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {images.total > IMAGES_PER_PAGE ? (
              <Pager
                label="Image pages"
                previousHref={imagePage > 1 ? `${href}?images=${imagePage - 1}` : null}
                nextHref={imagePage < pages ? `${href}?images=${imagePage + 1}` : null}
              >
                Page {imagePage} of {pages} ({formatCount(images.total)} images)
              </Pager>
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="findings">
        <h2 id="findings">Findings of the latest image</h2>
        {findingsError ? (
          <p>
            Scan findings <ReadFailure error={findingsError} />
          </p>
        ) : null}
        {findings.total === 0 ? (
          <p className="muted">
            No findings recorded
            {repository.latestImageDigest ? (
              <>
                {" "}for <span className="mono">{shortDigest(repository.latestImageDigest)}</span>
              </>
            ) : null}
            . See the scan status above: an image that was not scanned has no findings either.
          </p>
        ) : (
          <>
            <p className="small">
              {formatCount(findings.total)} finding{findings.total === 1 ? "" : "s"} in{" "}
              {findingDigests.map((d) => (
                <span key={d} className="mono" title={d}>
                  {shortDigest(d)}{" "}
                </span>
              ))}
              ({findings.findings[0].source} scan), most severe first
              {findings.total > FINDINGS_LIMIT ? `; the first ${FINDINGS_LIMIT} are shown` : ""}.
            </p>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Findings, most severe first</caption>
                <thead>
                  <tr>
                    <th scope="col">Vulnerability</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Package</th>
                    <th scope="col">Version</th>
                    <th scope="col">Fixed in</th>
                    <th scope="col" className="num">Score</th>
                  </tr>
                </thead>
                <tbody>
                  {findings.findings.map((finding) => {
                    const link = safeHref(finding.uri);
                    return (
                      <tr key={`${finding.imageDigest}/${finding.key}`}>
                        <td className="mono">
                          {link ? (
                            <a href={link} target="_blank" rel="noopener noreferrer">
                              {finding.name}
                            </a>
                          ) : (
                            finding.name
                          )}
                        </td>
                        <td>
                          <SeverityLabel severity={finding.severity} />
                        </td>
                        <td className="mono">{finding.packageName ?? ""}</td>
                        <td className="mono">{finding.packageVersion ?? ""}</td>
                        <td className="mono">{finding.fixedInVersion ?? <span className="muted">—</span>}</td>
                        <td className="num">{finding.score === null ? "" : finding.score.toFixed(1)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}
