import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { controlObjectiveStatus, deterministicUuid, evidenceOscal, oscalControlId } from "./oscal";
import { KNOWN_FAILING_REASON, KNOWN_FAILING_RESOURCE, sampleEvidenceDocument } from "./testing";

// NIST's OSCAL 1.0.6 assessment-results schema (spec/oscal), compiled once for the file: the
// export is only worth having if an OSCAL tool will read it.
let validate: ValidateFunction;
beforeAll(() => {
  const schema = JSON.parse(readFileSync(join(process.cwd(), "spec/oscal/oscal_assessment-results_schema.json"), "utf8"));
  // No ajv-formats here: the schema's formats are checked by these few rules (its patterns check the rest).
  const formats = {
    "date-time": (s: string) => !Number.isNaN(Date.parse(s)),
    uri: (s: string) => URL.canParse(s),
    "uri-reference": true as const,
    email: /^[^\s@]+@[^\s@]+$/,
  };
  validate = new Ajv({ strict: false, allErrors: true, formats }).compile(schema);
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Ar {
  "assessment-results": {
    uuid: string;
    metadata: { "oscal-version": string; parties: { uuid: string; name: string }[] };
    results: {
      "reviewed-controls": { "control-selections": { "include-controls": { "control-id": string }[] }[] };
      observations: { uuid: string; description: string; subjects: { title: string }[]; props: { name: string; value: string }[] }[];
      findings: { uuid: string; title: string; target: { status: { state: string; reason: string }; props: { name: string; value: string }[] }; "related-observations"?: { "observation-uuid": string }[] }[];
      "assessment-log": { entries: { title: string }[] };
    }[];
  };
}

const errorsOf = (v: ValidateFunction) => (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);

describe("evidenceOscal", () => {
  it("validates against the OSCAL 1.0.6 assessment-results schema", () => {
    const out = evidenceOscal(sampleEvidenceDocument());
    expect(validate(out), errorsOf(validate).join("\n")).toBe(true);
  });

  it("is checked by a validator that rejects a broken instance", () => {
    const out = evidenceOscal(sampleEvidenceDocument()) as Ar;
    const broken = structuredClone(out);
    broken["assessment-results"].uuid = "not-a-uuid";
    expect(validate(broken)).toBe(false);
    const noFindingTarget = structuredClone(out) as unknown as { "assessment-results": { results: { findings: Record<string, unknown>[] }[] } };
    delete noFindingTarget["assessment-results"].results[0].findings[0].target;
    expect(validate(noFindingTarget)).toBe(false);
  });

  it("validates for a larger document, an empty control and awkward text", () => {
    const doc = sampleEvidenceDocument({ controls: 12, resultsPerControl: 9 });
    doc.controls[3].results = [];
    doc.controls[3].counts = { FAIL: 0, ERROR: 0, MANUAL: 0, EXCEPTED: 0, PASS: 0, INHERITED: 0, NOT_APPLICABLE: 0 };
    doc.controls[4].id = "2 weird/id";
    doc.controls[5].results[0].reason = "  line one\nline two  ";
    doc.generatedBy.email = "not an email";
    doc.runs[0].startedAt = null;
    const out = evidenceOscal(doc);
    expect(validate(out), errorsOf(validate).join("\n")).toBe(true);
  });

  it("has one observation per result and one finding per control, every control reviewed", () => {
    const doc = sampleEvidenceDocument({ controls: 6, resultsPerControl: 5 });
    const [result] = (evidenceOscal(doc) as Ar)["assessment-results"].results;
    expect(result.observations).toHaveLength(30);
    expect(result.findings).toHaveLength(6);
    expect(result["reviewed-controls"]["control-selections"][0]["include-controls"].map((c) => c["control-id"])).toEqual(doc.controls.map((c) => c.id.toLowerCase()));
    for (const f of result.findings) expect(f["related-observations"]).toHaveLength(5);
    const observationIds = new Set(result.observations.map((o) => o.uuid));
    expect(observationIds.size).toBe(30);
    for (const f of result.findings) for (const r of f["related-observations"]!) expect(observationIds).toContain(r["observation-uuid"]);
    expect(result["assessment-log"].entries.some((e) => e.title === "Collection run #7")).toBe(true);
    expect(result["assessment-log"].entries.some((e) => /eu-west-1: failed/.test(e.title))).toBe(true);
  });

  it("marks a control with a FAIL not-satisfied, its worst status as a prop, with the failing resource's reason observed", () => {
    const [result] = (evidenceOscal(sampleEvidenceDocument()) as Ar)["assessment-results"].results;
    const ecr1 = result.findings.find((f) => f.title.startsWith("ECR.1 "))!;
    expect(ecr1.target.status).toEqual({ state: "not-satisfied", reason: "fail" });
    expect(ecr1.target.props).toContainEqual(expect.objectContaining({ name: "worst-status", value: "FAIL" }));
    const failing = result.observations.find((o) => o.subjects[0].title === KNOWN_FAILING_RESOURCE)!;
    expect(failing.description).toBe(KNOWN_FAILING_REASON);
    expect(failing.props).toContainEqual(expect.objectContaining({ name: "result-status", value: "FAIL" }));
  });

  it("satisfies an objective only when nothing failed or is unknown", () => {
    const zero = { FAIL: 0, ERROR: 0, MANUAL: 0, EXCEPTED: 0, PASS: 0, INHERITED: 0, NOT_APPLICABLE: 0 };
    expect(controlObjectiveStatus({ ...zero, PASS: 3, EXCEPTED: 1 })).toEqual({ state: "satisfied", reason: "pass", worst: "EXCEPTED" });
    expect(controlObjectiveStatus({ ...zero, PASS: 3, ERROR: 1 })).toEqual({ state: "not-satisfied", reason: "other", worst: "ERROR" });
    expect(controlObjectiveStatus({ ...zero, PASS: 3, MANUAL: 1 })).toMatchObject({ state: "not-satisfied", reason: "other" });
    expect(controlObjectiveStatus(zero)).toEqual({ state: "not-satisfied", reason: "other", worst: null });
  });

  it("gives valid, reproducible UUIDs: the same document and seed, the same file", () => {
    const doc = sampleEvidenceDocument();
    const a = JSON.stringify(evidenceOscal(doc));
    expect(JSON.stringify(evidenceOscal(sampleEvidenceDocument()))).toBe(a);
    expect(JSON.stringify(evidenceOscal(doc, { uuidSeed: "other" }))).not.toBe(a);
    const uuids = a.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)!;
    expect(uuids.length).toBeGreaterThan(30);
    for (const u of uuids) expect(u).toMatch(UUID);
    expect(deterministicUuid("s", "x")).toBe(deterministicUuid("s", "x"));
    expect(deterministicUuid("s", "x")).not.toBe(deterministicUuid("s", "y"));
  });

  it("makes OSCAL tokens of control ids", () => {
    expect(oscalControlId("AC-3")).toBe("ac-3");
    expect(oscalControlId("ECR.1")).toBe("ecr.1");
    expect(oscalControlId("2 weird/id")).toBe("_2-weird-id");
  });
});
