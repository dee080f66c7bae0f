import { createHash } from "node:crypto";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import type { EvidenceControl, EvidenceDocument, EvidenceResult } from "./types";

/**
 * The evidence document as an OSCAL Assessment Results 1.0.6 instance (validated against NIST's
 * JSON schema in spec/oscal). Mapping:
 * - one `result` for the evaluation, spanning the evaluated run's collection (start) to asOf (end);
 * - `reviewed-controls`: every control of the pack, by an OSCAL token of its id;
 * - one `observation` per result (resource x control): the reason, the checks' verdicts and the
 *   raw evidence, with the resource as its subject (described once in back-matter);
 * - one `finding` per control, its objective satisfied only when nothing failed or is unknown;
 * - the `assessment-log`: the collection runs, the run's targets and the evaluation.
 * UUIDs are name-based (derived from a seed and the item's identity), so exporting the same
 * document twice gives the same file, and the same resource keeps its observation UUID across
 * exports of the same evaluation.
 */

export const OSCAL_VERSION = "1.0.6";
/** Namespace of Portwatch's own property names (OSCAL reserves the default namespace for its own). */
export const PORTWATCH_NS = "urn:portwatch:oscal";

export interface OscalOptions {
  /** Seeds every UUID; defaults to the framework, evaluation and scope, so re-exports agree. */
  uuidSeed?: string;
}

type Prop = { name: string; value: string; ns?: string; class?: string; remarks?: string };

/**
 * A UUID from SHA-256(seed, identity) with the RFC 4122 version (5, name-based) and variant bits
 * set. RFC 4122's own v5 hashes with SHA-1; the OSCAL schema admits only versions 4 and 5, and a
 * name-based UUID is what reproducibility needs, so the version nibble says 5.
 */
export function deterministicUuid(seed: string, ...identity: (string | number)[]): string {
  const bytes = createHash("sha256").update([seed, ...identity.map(String)].join("\u0000")).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * An OSCAL token for a control id: lower case (as NIST's OSCAL catalogues spell "ac-3"), any
 * character outside letters, digits, ".", "-" and "_" replaced by "-", and a leading "_" when the
 * id does not start with a letter.
 */
export function oscalControlId(id: string): string {
  const token = id.toLowerCase().replace(/[^\p{L}\p{N}._-]/gu, "-");
  return /^(\p{L}|_)/u.test(token) ? token : `_${token}`;
}

// OSCAL strings (prop values, versions) forbid leading/trailing whitespace and line breaks.
function oneLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function props(list: (Prop | null)[]): { props?: Prop[] } {
  const kept = list.filter((p): p is Prop => p !== null && oneLine(p.value) !== "").map((p) => ({ ...p, value: oneLine(p.value) }));
  return kept.length ? { props: kept } : {};
}

const prop = (name: string, value: string | null | undefined, extra: Partial<Prop> = {}): Prop | null => (value ? { name, ns: PORTWATCH_NS, value, ...extra } : null);

function isoOr(value: unknown, fallback: string): string {
  if (typeof value !== "string") return fallback;
  const t = Date.parse(value);
  return Number.isNaN(t) ? fallback : new Date(t).toISOString();
}

/** The objective's state: only PASS, INHERITED, EXCEPTED or NOT_APPLICABLE results satisfy it; ERROR and MANUAL are unknown, never satisfied. */
export function controlObjectiveStatus(counts: Record<ResultStatus, number>): { state: "satisfied" | "not-satisfied"; reason: "pass" | "fail" | "other"; worst: ResultStatus | null } {
  const worst = RESULT_STATUSES.find((s) => counts[s] > 0) ?? null;
  if (worst === null) return { state: "not-satisfied", reason: "other", worst };
  if (counts.FAIL > 0) return { state: "not-satisfied", reason: "fail", worst };
  if (counts.ERROR > 0 || counts.MANUAL > 0) return { state: "not-satisfied", reason: "other", worst };
  return { state: "satisfied", reason: "pass", worst };
}

export function evidenceOscal(doc: EvidenceDocument, { uuidSeed }: OscalOptions = {}): object {
  const seed = uuidSeed ?? `portwatch|${doc.framework.id}|evaluation-${doc.evaluation.id}|${doc.scope.accountIds.join(",")}|${doc.scope.regions.join(",")}`;
  const uuid = (...identity: (string | number)[]) => deterministicUuid(seed, ...identity);
  const portwatchParty = uuid("party", "portwatch");
  const generatorParty = uuid("party", doc.generatedBy.email);
  const evaluatedRun = doc.runs.find((r) => r.id === doc.evaluation.runId);
  const start = evaluatedRun?.startedAt && evaluatedRun.startedAt <= doc.asOf ? evaluatedRun.startedAt : doc.asOf;

  const subjects = new Map<string, { uuid: string; result: EvidenceResult }>();
  const observations: object[] = [];
  const findings: object[] = [];
  for (const control of doc.controls) {
    const observationUuids: string[] = [];
    for (const r of control.results) {
      const subject = subjects.get(r.resource) ?? { uuid: uuid("subject", r.resource), result: r };
      subjects.set(r.resource, subject);
      const observationUuid = uuid("observation", control.id, r.resource);
      observationUuids.push(observationUuid);
      observations.push(observation(doc, control, r, observationUuid, subject.uuid));
    }
    findings.push(finding(control, uuid("finding", control.id), observationUuids));
  }

  const logEntries = [
    ...doc.runs.map((run) => {
      const runStart = run.startedAt ?? run.finishedAt ?? doc.asOf;
      return {
        uuid: uuid("run", run.id),
        title: `Collection run #${run.id}`,
        description: `Portwatch collection run #${run.id} (${run.trigger}) ended ${run.status}.`,
        start: runStart,
        ...(run.finishedAt && run.finishedAt >= runStart ? { end: run.finishedAt } : {}),
        ...props([prop("run-id", String(run.id)), prop("run-status", run.status), prop("trigger", run.trigger)]),
        "logged-by": [{ "party-uuid": portwatchParty }],
      };
    }),
    ...doc.provenance.targets.map((t) => ({
      uuid: uuid("target", doc.evaluation.runId, t.accountId, t.region),
      title: `Collect account ${t.accountId}, ${t.region}: ${t.status}`,
      description: t.error ? `${t.errorName ?? "Error"} on ${t.errorOperation ?? "an unknown call"}: ${t.error}` : `Target ${t.accountId}/${t.region} of run #${doc.evaluation.runId} ended ${t.status}.`,
      start: t.finishedAt ?? doc.asOf,
      ...props([prop("account-id", t.accountId), prop("region", t.region), prop("target-status", t.status), prop("error-name", t.errorName), prop("error-operation", t.errorOperation)]),
      "logged-by": [{ "party-uuid": portwatchParty }],
    })),
    {
      uuid: uuid("evaluation", doc.evaluation.id),
      title: `Evaluation #${doc.evaluation.id} of run #${doc.evaluation.runId}`,
      description: `The run's snapshot evaluated against ${doc.framework.name} ${doc.framework.version}, as of ${doc.asOf}.`,
      start: doc.evaluation.evaluatedAt,
      "logged-by": [{ "party-uuid": portwatchParty }],
    },
  ];

  const scopeText = `accounts: ${doc.scope.accountIds.length ? doc.scope.accountIds.join(", ") : "all"}; regions: ${doc.scope.regions.length ? doc.scope.regions.join(", ") : "all"}`;
  const counts = RESULT_STATUSES.map((s) => `${s} ${doc.summary.counts[s]}`).join(", ");
  const result = {
    uuid: uuid("result", doc.evaluation.id),
    title: `${doc.framework.name} ${doc.framework.version}: evaluation #${doc.evaluation.id}`,
    description: `Automated assessment of Amazon ECR by Portwatch against ${doc.framework.name} ${doc.framework.version} (${scopeText}), from collection run #${doc.evaluation.runId} as of ${doc.asOf}. Results: ${counts}.`,
    start,
    end: doc.asOf,
    ...props([
      prop("framework", doc.framework.id),
      prop("evaluation-id", String(doc.evaluation.id)),
      prop("run-id", String(doc.evaluation.runId)),
      prop("score", doc.summary.score === null ? "n/a" : doc.summary.score.toFixed(4), { remarks: "(PASS + INHERITED + EXCEPTED) / (all - NOT_APPLICABLE - ERROR - MANUAL)" }),
      ...RESULT_STATUSES.map((s) => prop("result-count", String(doc.summary.counts[s]), { class: s })),
      ...doc.scope.accountIds.map((a) => prop("scope-account", a)),
      ...doc.scope.regions.map((r) => prop("scope-region", r)),
    ]),
    "reviewed-controls": {
      description: `Every control of the ${doc.framework.name} pack as Portwatch implements it for ECR.`,
      "control-selections": [{ "include-controls": doc.controls.map((c) => ({ "control-id": oscalControlId(c.id) })) }],
    },
    "assessment-log": { entries: logEntries },
    ...(observations.length ? { observations } : {}),
    ...(findings.length ? { findings } : {}),
    ...(doc.mappingNote ? { remarks: doc.mappingNote } : {}),
  };

  const resources = [...subjects.values()].map(({ uuid: id, result: r }) => ({
    uuid: id,
    title: r.resource,
    description: `An AWS ${r.scope} evaluated by Portwatch.`,
    ...props([prop("resource-scope", r.scope), prop("account-id", r.accountId), prop("region", r.region)]),
  }));

  return {
    "assessment-results": {
      uuid: uuid("document", doc.generatedAt),
      metadata: {
        title: `${doc.framework.name} ${doc.framework.version} assessment results for Amazon ECR (Portwatch)`,
        "last-modified": doc.generatedAt,
        version: `evaluation-${doc.evaluation.id}`,
        "oscal-version": OSCAL_VERSION,
        ...props([prop("portwatch-version", doc.portwatchVersion), prop("generated-by-role", doc.generatedBy.role)]),
        roles: [
          { id: "assessment-tool", title: "Automated assessment tool" },
          { id: "prepared-by", title: "Prepared By" },
        ],
        parties: [
          { uuid: portwatchParty, type: "organization", name: "Portwatch", ...props([prop("version", doc.portwatchVersion)]) },
          { uuid: generatorParty, type: "person", name: doc.generatedBy.email, ...(/^\S+@\S+$/.test(doc.generatedBy.email) ? { "email-addresses": [doc.generatedBy.email] } : {}), ...props([prop("portwatch-role", doc.generatedBy.role)]) },
        ],
        "responsible-parties": [
          { "role-id": "assessment-tool", "party-uuids": [portwatchParty] },
          { "role-id": "prepared-by", "party-uuids": [generatorParty] },
        ],
      },
      // Portwatch keeps no OSCAL assessment plan: the framework pack plays that part, named by URN.
      "import-ap": { href: `urn:portwatch:framework:${doc.framework.id}`, remarks: `The ${doc.framework.name} ${doc.framework.version} pack of Portwatch ${doc.portwatchVersion} is the assessment plan.` },
      results: [result],
      ...(resources.length ? { "back-matter": { resources } } : {}),
    },
  };
}

function observation(doc: EvidenceDocument, control: EvidenceControl, r: EvidenceResult, id: string, subjectUuid: string): object {
  return {
    uuid: id,
    title: `${control.id} ${r.status}: ${r.resource}`,
    description: r.reason || `${control.id} ${r.status}`,
    ...props([
      prop("control-id", control.id),
      prop("result-status", r.status),
      prop("exception-id", r.exceptionId),
      prop("collection-run", typeof r.evidence.runId === "number" ? String(r.evidence.runId) : null),
    ]),
    // OSCAL 1.0.6 allows EXAMINE, INTERVIEW, TEST and UNKNOWN (enforced by its metaschema tools,
    // not the JSON schema): an automated check run against collected configuration is a TEST.
    methods: ["TEST"],
    types: ["finding"],
    subjects: [{ "subject-uuid": subjectUuid, type: "resource", title: r.resource, ...props([prop("account-id", r.accountId), prop("region", r.region), prop("resource-scope", r.scope)]) }],
    "relevant-evidence": [
      {
        description: r.reason || `${control.id} ${r.status}`,
        ...props([prop("assessment-method", "AUTOMATED"), ...r.checks.map((c) => prop("check", c.status, { class: c.check }))]),
        // The raw fields the checks decided on, as JSON (what the CSV's evidence column holds).
        remarks: JSON.stringify(r.evidence),
      },
    ],
    collected: isoOr(r.evidence.collectedAt, doc.asOf),
  };
}

function finding(control: EvidenceControl, id: string, observationUuids: string[]): object {
  const status = controlObjectiveStatus(control.counts);
  const counts = RESULT_STATUSES.filter((s) => control.counts[s] > 0).map((s) => `${s} ${control.counts[s]}`).join(", ");
  const remarks = [
    control.mappingNote,
    ...control.exceptions.map((e) => `Exception ${e.id} (${e.resourcePattern}, account ${e.accountId ?? "any"}, region ${e.region ?? "any"}): ${e.reason}; owner ${e.owner}, approved by ${e.approvedBy}, expires ${e.expiresAt}${e.revokedAt ? `, revoked ${e.revokedAt} by ${e.revokedBy ?? "unknown"}` : ""}.`),
    ...control.attestations.map((a) => `Attestation ${a.id} by ${a.attester} on ${a.attestedAt}, expires ${a.expiresAt}${a.revokedAt ? `, revoked ${a.revokedAt}` : ""}: ${a.text}${a.fileName ? ` (file ${a.fileName}, sha256 ${a.fileSha256 ?? "unknown"})` : ""}`),
  ].filter((x): x is string => !!x);
  return {
    uuid: id,
    title: `${control.id} ${control.title}`,
    description: `${control.description} Results: ${counts || "none in scope"}.`,
    ...props([
      prop("control-id", control.id),
      prop("severity", control.severity),
      prop("worst-status", status.worst),
      ...control.crosswalk.map((c) => prop("crosswalk", c)),
      ...control.exceptions.map((e) => prop("exception-id", e.id)),
      ...control.attestations.map((a) => prop("attestation-id", a.id)),
    ]),
    target: {
      type: "objective-id",
      "target-id": `${oscalControlId(control.id)}_obj`,
      description: control.implementation,
      ...props([prop("worst-status", status.worst)]),
      status: { state: status.state, reason: status.reason },
    },
    ...(observationUuids.length ? { "related-observations": observationUuids.map((u) => ({ "observation-uuid": u })) } : {}),
    ...(remarks.length ? { remarks: remarks.join("\n\n") } : {}),
  };
}
