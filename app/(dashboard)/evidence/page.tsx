import type { Metadata } from "next";
import { QueryProvider } from "@/components/providers/query-provider";
import { formatBytes, formatDateTime } from "@/components/tables/format";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageRole } from "@/lib/auth/guard";
import { EVIDENCE_ROLES } from "@/lib/auth/roles";
import { FRAMEWORKS, getFramework } from "@/lib/compliance/frameworks/index";
import { listEvaluatedRuns } from "@/lib/db/evidence-jobs";
import { listExports, listSigningKeys } from "@/lib/db/evidence-exports";
import { ExportForm } from "./export-form";
import { ExportProgress } from "./export-progress";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Evidence" };

const short = (hex: string | null) => (hex ? `${hex.slice(0, 16)}…` : "—");

function scopeText(scope: { accountIds?: string[]; regions?: string[]; runId?: number | null }): string {
  const accounts = scope.accountIds?.length ? scope.accountIds.join(", ") : "all accounts";
  const regions = scope.regions?.length ? scope.regions.join(", ") : "all regions";
  return `${accounts} · ${regions}${scope.runId ? ` · run #${scope.runId}` : ""}`;
}

export default async function EvidencePage() {
  await requirePageRole(EVIDENCE_ROLES);
  const [exports, runs, keys] = await Promise.all([listExports({ limit: 50 }), listEvaluatedRuns(), listSigningKeys()]);
  // Newest first: while a new key is rolled out, both sign until the old one is retired.
  const active = keys.filter((k) => k.retiredAt === null).reverse();
  return (
    <>
      <PageHeader title="Evidence" description="Exports an auditor can file: what was checked, found and accepted, for a framework and scope at a point in time, signed and chained so any change is detected." />

      <section className="card" aria-labelledby="new-export">
        <h2 id="new-export">New export</h2>
        {runs.length === 0 ? (
          <p className="muted">No collection has been evaluated yet: exports are made from evaluated results. Start a collection on the Runs page.</p>
        ) : (
          <ExportForm
            frameworks={FRAMEWORKS.map((f) => ({ id: f.id, name: f.name }))}
            runs={runs.map((r) => ({ runId: r.runId, label: `Run #${r.runId}${r.finishedAt ? `, collected ${formatDateTime(r.finishedAt)}` : ""}` }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="exports">
        <h2 id="exports">Exports</h2>
        {exports.length === 0 ? (
          <p className="muted">No evidence exports yet.</p>
        ) : (
          <QueryProvider>
            <div className="table-wrap">
              <table aria-labelledby="exports">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">Framework and scope</th>
                    <th scope="col">Format</th>
                    <th scope="col">Made by</th>
                    <th scope="col">Status</th>
                    <th scope="col">Digests (SHA-256)</th>
                    <th scope="col">Download</th>
                  </tr>
                </thead>
                <tbody>
                  {exports.map((e) => (
                    <tr key={e.id}>
                      <td className="num">{e.sequence ?? ""}</td>
                      <td>
                        {getFramework(e.framework)?.name ?? e.framework}
                        <div className="small muted">{scopeText(e.scope as Parameters<typeof scopeText>[0])}</div>
                      </td>
                      <td>{e.format.toUpperCase()}</td>
                      <td>
                        {e.createdBy}
                        <div className="small muted">{formatDateTime(e.createdAt)}</div>
                      </td>
                      <td>
                        {e.status === "done" ? (
                          <>
                            done <span className="small muted">{e.fileBytes !== null ? formatBytes(e.fileBytes) : ""}</span>
                          </>
                        ) : e.status === "failed" ? (
                          <span className="text-danger">failed: {e.error}</span>
                        ) : (
                          <ExportProgress id={e.id} initial={{ status: e.status as "queued" | "running", progress: e.progress, progressText: e.progressText, error: e.error }} />
                        )}
                      </td>
                      <td className="mono small">
                        {e.fileSha256 ? (
                          <>
                            <div title={e.fileSha256}>file {short(e.fileSha256)}</div>
                            <div title={e.manifestSha256 ?? undefined}>manifest {short(e.manifestSha256)}</div>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td className="nowrap">
                        {e.status === "done" ? (
                          <>
                            <a href={`/api/evidence/${e.id}/file`} download>
                              {e.fileName ?? "file"}
                            </a>
                            <div>
                              <a href={`/api/evidence/${e.id}/file?part=manifest`} download className="small">
                                manifest
                              </a>
                            </div>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </QueryProvider>
        )}
      </section>

      <section className="card" aria-labelledby="verify">
        <h2 id="verify">Verify an export</h2>
        <p className="small muted">
          Checks the file against its manifest, the manifest&apos;s signature against this installation&apos;s key, and the export&apos;s place in the chain of every export made here. The
          same checks run from the command line: <code>portwatch verify FILE</code>.
        </p>
        <VerifyForm />
      </section>

      <section className="card" aria-labelledby="signing-key">
        <h2 id="signing-key">This installation&apos;s signing key{active.length > 1 ? "s" : ""}</h2>
        {active.length ? (
          active.map((key) => (
            <div key={key.keyId}>
              <p className="small">
                Key id <code>{key.keyId}</code>, created {formatDateTime(key.createdAt)}. Give the public key to auditors so they can check signatures without Portwatch.
                {active.length > 1 ? " More than one key is in use: retire the old one with portwatch keys retire once every process has the new one." : ""}
              </p>
              <pre className="code-block">{key.publicKeyPem}</pre>
            </div>
          ))
        ) : (
          <p className="muted">No signing key yet: a worker creates it before it makes the first export.</p>
        )}
      </section>
    </>
  );
}
