import { describe, expect, it } from "vitest";
import { evidenceJson } from "./json";
import { KNOWN_FAILING_REASON, KNOWN_FAILING_RESOURCE, sampleEvidenceDocument } from "./testing";
import type { EvidenceDocument } from "./types";

function keysSorted(value: unknown, path = "$"): void {
  if (Array.isArray(value)) return value.forEach((v, i) => keysSorted(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return;
  const keys = Object.keys(value);
  expect(keys, path).toEqual([...keys].sort());
  for (const k of keys) keysSorted((value as Record<string, unknown>)[k], `${path}.${k}`);
}

describe("evidenceJson", () => {
  it("is the document, 2-space indented, with a trailing newline", () => {
    const doc = sampleEvidenceDocument();
    const text = evidenceJson(doc);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toMatch(/^ {2}"/);
    expect(JSON.parse(text)).toEqual(doc);
  });

  it("sorts keys at every depth, so key order in the input does not change the bytes", () => {
    const doc = sampleEvidenceDocument();
    keysSorted(JSON.parse(evidenceJson(doc)));
    const reversed = JSON.parse(JSON.stringify(doc), (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)) as EvidenceDocument;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(doc)[0]);
    expect(evidenceJson(reversed)).toBe(evidenceJson(doc));
  });

  it("keeps every control in order with its counts, and the known failing resource with its reason", () => {
    const doc = sampleEvidenceDocument({ controls: 8, resultsPerControl: 4 });
    const back = JSON.parse(evidenceJson(doc)) as EvidenceDocument;
    expect(back.controls.map((c) => c.id)).toEqual(doc.controls.map((c) => c.id));
    for (const [i, c] of back.controls.entries()) {
      expect(c.counts).toEqual(doc.controls[i].counts);
      expect(c.results).toHaveLength(4);
    }
    expect(back.summary.counts).toEqual(doc.summary.counts);
    const failing = back.controls[0].results.find((r) => r.resource === KNOWN_FAILING_RESOURCE);
    expect(failing).toMatchObject({ status: "FAIL", reason: KNOWN_FAILING_REASON });
    expect(back.provenance.targets.find((t) => t.status === "failed")).toMatchObject({ errorName: "AccessDeniedException" });
  });
});
