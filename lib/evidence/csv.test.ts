import { describe, expect, it } from "vitest";
import { EVIDENCE_CSV_HEADER, evidenceCsv } from "./csv";
import { KNOWN_FAILING_REASON, KNOWN_FAILING_RESOURCE, sampleEvidenceDocument } from "./testing";

/** An RFC 4180 reader (quoted cells, doubled quotes, CRLF records), to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") endCell();
    else if (ch === "\r" && text[i + 1] === "\n") {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length) throw new Error("the CSV does not end with a line break");
  return rows;
}

const records = (csv: string) => {
  const [header, ...rows] = parseCsv(csv);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describe("evidenceCsv", () => {
  it("is a header and one row per result, every control present", () => {
    const doc = sampleEvidenceDocument({ controls: 6, resultsPerControl: 5 });
    const [header, ...rows] = parseCsv(evidenceCsv(doc));
    expect(header).toEqual([...EVIDENCE_CSV_HEADER]);
    expect(rows).toHaveLength(30);
    for (const r of rows) expect(r).toHaveLength(EVIDENCE_CSV_HEADER.length);
    const controls = new Set(records(evidenceCsv(doc)).map((r) => r.control));
    expect([...controls]).toEqual(doc.controls.map((c) => c.id));
    for (const c of doc.controls) {
      for (const [status, n] of Object.entries(c.counts)) expect(records(evidenceCsv(doc)).filter((r) => r.control === c.id && r.status === status)).toHaveLength(n);
    }
  });

  it("holds the known failing resource with its reason, checks and evidence", () => {
    const row = records(evidenceCsv(sampleEvidenceDocument())).find((r) => r.resource === KNOWN_FAILING_RESOURCE)!;
    expect(row).toMatchObject({ framework: "aws-fsbp", control: "ECR.1", severity: "critical", status: "FAIL", reason: KNOWN_FAILING_REASON, checks: "tag-immutability=FAIL", account: "111122223333", region: "us-east-1", exception_id: "" });
    expect(JSON.parse(row.evidence)).toEqual({ imageTagMutability: "MUTABLE", run: 7 });
  });

  it("fills the exception columns on EXCEPTED rows only", () => {
    const doc = sampleEvidenceDocument({ controls: 1, resultsPerControl: 7 });
    const rows = records(evidenceCsv(doc));
    const excepted = rows.filter((r) => r.status === "EXCEPTED");
    expect(excepted.length).toBeGreaterThan(0);
    for (const r of excepted) expect(r).toMatchObject({ exception_id: "exc-1", exception_reason: "Legacy images, retired in Q1", exception_owner: "platform@example.com", exception_approver: "security@example.com", exception_expires: "2027-02-01T00:00:00.000Z" });
    for (const r of rows.filter((x) => x.status !== "EXCEPTED")) expect(r.exception_id + r.exception_reason + r.exception_owner).toBe("");
  });

  it("reads back commas, quotes, newlines and non-ASCII text unchanged", () => {
    const doc = sampleEvidenceDocument({ controls: 1, resultsPerControl: 2 });
    const tricky = 'policy says "deny", then\r\nallows * ✓ ✗ — é';
    doc.controls[0].results[1].reason = tricky;
    doc.controls[0].title = "Title, with a comma";
    doc.controls[0].results[1].evidence = { note: 'a "quoted", value\nacross lines' };
    const row = records(evidenceCsv(doc))[1];
    expect(row.reason).toBe(tricky);
    expect(row.title).toBe("Title, with a comma");
    expect(JSON.parse(row.evidence)).toEqual({ note: 'a "quoted", value\nacross lines' });
  });

  it("defuses a reason that a spreadsheet would run as a formula", () => {
    const doc = sampleEvidenceDocument({ controls: 1, resultsPerControl: 1 });
    doc.controls[0].results[0].reason = "=HYPERLINK(\"http://evil\")";
    expect(records(evidenceCsv(doc))[0].reason).toBe("'=HYPERLINK(\"http://evil\")");
  });
});
