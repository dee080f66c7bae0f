import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatCount, shortDigest } from "@/components/tables/format";
import { SeverityLabel } from "@/components/tables/severity-counts";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { ANY_ROLE } from "@/lib/auth/roles";
import { repositoryHref } from "@/lib/db/repository-list-params";
import { getVisibleRunId } from "@/lib/db/snapshot";
import { getVulnerabilitySummary, listVulnerableAccounts, listVulnerableImages } from "@/lib/db/vulnerabilities";
import { parseVulnerabilityPath, vulnerabilityListHref } from "../list-params";

type Params = Promise<{ name: string[] }>;

const REPOSITORY_LIMIT = 500;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const name = parseVulnerabilityPath((await params).name);
  return { title: name ?? "Vulnerability" };
}

/** Only web links from the scanner become links: a finding's uri is data from AWS, not trusted markup. */
const safeHref = (uri: string | null) => (uri && /^https?:\/\//i.test(uri) ? uri : null);

export default async function VulnerabilityPage({ params }: { params: Params }) {
  await requirePageRole(ANY_ROLE);
  const name = parseVulnerabilityPath((await params).name);
  if (!name) notFound();
  const runId = await getVisibleRunId();
  const back = (
    <p className="small">
      <Link href="/vulnerabilities">← All vulnerabilities</Link>
    </p>
  );
  const summary = runId === null ? null : await getVulnerabilitySummary(runId, name);
  if (runId === null || !summary) {
    return (
      <>
        {back}
        <PageHeader title={name} />
        <p className="notice" role="status">
          No latest image has {name}
          {runId !== null ? (
            <>
              {" "}as collected by run <Link href={`/runs/${runId}`}>#{runId}</Link>
            </>
          ) : null}
          : it was fixed, its images were replaced, or it was never found.
        </p>
      </>
    );
  }

  const [images, accounts] = await Promise.all([listVulnerableImages(runId, name, REPOSITORY_LIMIT), listVulnerableAccounts(runId, name)]);
  const link = safeHref(summary.uri);

  return (
    <>
      {back}
      <PageHeader title={name} description={`In the latest images as collected by run #${runId}.`} />
      <section className="card" aria-labelledby="summary">
        <h2 id="summary">Summary</h2>
        <dl className="facts">
          <div className="fact-row">
            <dt>Severity</dt>
            <dd>
              <SeverityLabel severity={summary.severity} /> <span className="small muted">(the most severe any scan gave it)</span>
            </dd>
          </div>
          <div className="fact-row">
            <dt>Score</dt>
            <dd>{summary.score === null ? <span className="muted">not given by the scanner</span> : summary.score.toFixed(1)}</dd>
          </div>
          <div className="fact-row">
            <dt>Fix available</dt>
            <dd>
              {summary.fixable === 0
                ? "no"
                : summary.fixable === summary.findings
                  ? "yes"
                  : `for ${formatCount(summary.fixable)} of ${formatCount(summary.findings)} findings`}
            </dd>
          </div>
          <div className="fact-row">
            <dt>Affected</dt>
            <dd>
              {formatCount(summary.repositories)} {summary.repositories === 1 ? "repository" : "repositories"} in {formatCount(summary.accounts)}{" "}
              {summary.accounts === 1 ? "account" : "accounts"} ({formatCount(summary.findings)} {summary.findings === 1 ? "finding" : "findings"})
            </dd>
          </div>
          <div className="fact-row">
            <dt>Scan</dt>
            <dd>{summary.sources.join(", ")}</dd>
          </div>
          {link ? (
            <div className="fact-row">
              <dt>Reference</dt>
              <dd>
                <a href={link} target="_blank" rel="noopener noreferrer">
                  {link}
                </a>
              </dd>
            </div>
          ) : null}
        </dl>
        {summary.description ? <p>{summary.description}</p> : null}
      </section>

      <section aria-labelledby="accounts">
        <h2 id="accounts">Accounts</h2>
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Accounts with {name}, most affected repositories first</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Name</th>
                <th scope="col">Regions</th>
                <th scope="col" className="num">
                  Repositories
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.accountId}>
                  <td className="mono">
                    <Link href={vulnerabilityListHref({ accountId: a.accountId })} aria-label={`Vulnerabilities in account ${a.accountId}`}>
                      {a.accountId}
                    </Link>
                  </td>
                  <td>{a.name ?? <span className="muted">not registered</span>}</td>
                  <td>{a.regions.join(", ")}</td>
                  <td className="num">{formatCount(a.repositories)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="repositories">
        <h2 id="repositories">Affected repositories</h2>
        {images.total > images.rows.length ? (
          <p className="small muted">
            The first {formatCount(images.rows.length)} of {formatCount(images.total)} are shown, most severe first, then by account, region and name.
          </p>
        ) : null}
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Repositories whose latest image has {name}</caption>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                <th scope="col">Image</th>
                <th scope="col">Severity</th>
                <th scope="col">Package</th>
                <th scope="col">Version</th>
                <th scope="col">Fixed in</th>
              </tr>
            </thead>
            <tbody>
              {images.rows.map((image) => (
                <tr key={`${image.arn}/${image.imageDigest}`}>
                  <td>
                    <Link href={repositoryHref(image)}>{image.name}</Link>
                  </td>
                  <td className="mono" title={image.accountName ?? undefined}>
                    {image.accountId}
                  </td>
                  <td>{image.region}</td>
                  <td className="mono" title={image.imageDigest}>
                    {shortDigest(image.imageDigest)}
                  </td>
                  <td>
                    <SeverityLabel severity={image.severity} />
                  </td>
                  <td className="mono">
                    {image.packages.map((p, i) => (
                      <div key={i}>{p.name ?? <span className="muted">—</span>}</div>
                    ))}
                  </td>
                  <td className="mono">
                    {image.packages.map((p, i) => (
                      <div key={i}>{p.version ?? <span className="muted">—</span>}</div>
                    ))}
                  </td>
                  <td className="mono">
                    {image.packages.map((p, i) => (
                      <div key={i}>{p.fixedIn ?? <span className="muted">no fix</span>}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
