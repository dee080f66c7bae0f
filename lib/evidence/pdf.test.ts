import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESULT_STATUSES } from "@/lib/compliance/types";
import { renderEvidencePdf } from "./pdf";
import { KNOWN_FAILING_REASON, KNOWN_FAILING_RESOURCE, sampleEvidenceDocument } from "./testing";
import { formatScore } from "@/lib/compliance/score";

/**
 * The PDF is checked the way an auditor meets it: as text extracted by poppler (pdftotext, pdfinfo,
 * pdffonts), not through pdfkit's internals.
 */

const run = promisify(execFile);
const SHA = "5f".repeat(32);
const SHOTS = path.resolve(import.meta.dirname, "../../.portwatch/pdf-shots");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portwatch-pdf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}
async function text(file: string, mode: "-layout" | "-raw" = "-layout"): Promise<string> {
  return (await run("pdftotext", [mode, file, "-"], { maxBuffer: 64 * 1024 * 1024 })).stdout;
}
async function pageCount(file: string): Promise<number> {
  const { stdout } = await run("pdfinfo", [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}
/** pdftotext ends every page with a form feed. */
const pagesOf = (all: string) => all.split("\f").slice(0, -1);
const squash = (s: string) => s.replace(/\s+/g, "");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Asserts without printing a whole document's text on failure. */
const expectIn = (haystack: string, needle: string) => expect(haystack.includes(needle), `text contains ${needle.slice(0, 120)}`).toBe(true);

describe("renderEvidencePdf on the sample document", () => {
  const doc = sampleEvidenceDocument();
  let file: string;
  let layout: string;
  let pages: string[];

  beforeAll(async () => {
    file = await write("sample.pdf", await renderEvidencePdf(doc, { contentSha256: SHA }));
    layout = await text(file);
    pages = pagesOf(layout);
  });

  it("names the framework, its id and version, the scope and every control", () => {
    expect(pages[0]).toContain("AWS Foundational Security Best");
    expect(squash(pages[0])).toContain(squash(doc.framework.name));
    expect(pages[0]).toContain("Framework id aws-fsbp · version 1.0.0");
    expect(pages[0]).toMatch(/Scope: accounts: 111122223333/);
    expect(pages[0]).toMatch(/Scope: regions: all/);
    expect(pages[0]).toContain("auditor@example.com (auditor)");
    expect(pages[0]).toContain(`Content SHA-256: ${SHA}`);
    for (const control of doc.controls) {
      // In the matrix, and as the heading of its own section.
      expect(pages.find((p) => p.includes("Control matrix"))).toMatch(new RegExp(`^${escape(control.id)}\\s+Control ${escape(control.id)}:`, "m"));
      expect(pages.some((p) => p.includes(`Description: ${control.description}`) && new RegExp(`^${escape(control.id)}\\s+Control ${escape(control.id)}:`).test(p))).toBe(true);
    }
  });

  it("prints the count of every status as in the document, and the score with ERROR and MANUAL beside it", () => {
    const summary = pages.find((p) => p.includes("Results per status"))!;
    for (const status of RESULT_STATUSES) {
      expect(summary).toMatch(new RegExp(`^\\s*${status}\\s+${doc.summary.counts[status]}\\s`, "m"));
    }
    expect(summary).toContain(`Score ${formatScore(doc.summary.score)}`);
    expect(summary).toContain(`ERROR ${doc.summary.counts.ERROR} · MANUAL ${doc.summary.counts.MANUAL}`);
    const c = doc.summary.counts;
    expect(summary).toContain(`= ${c.PASS + c.INHERITED + c.EXCEPTED} / ${c.PASS + c.INHERITED + c.EXCEPTED + c.FAIL}`);
  });

  it("shows the known failing resource in one row with FAIL and its reason", async () => {
    // -raw keeps drawing order, which is cell by cell within a row: resource, account, status, reason.
    const raw = squash(await text(file, "-raw"));
    const row = new RegExp(`${escape(squash(KNOWN_FAILING_RESOURCE))}111122223333us-east-1FAIL${escape(squash(KNOWN_FAILING_REASON))}`);
    expect(raw).toMatch(row);
  });

  it("lists exceptions, attestations, failed targets and failed calls", async () => {
    // -raw keeps a wrapped cell's lines together; -layout interleaves the columns.
    const squashed = squash(await text(file, "-raw"));
    expectIn(squashed, squash("Legacy images, retired in Q1"));
    expectIn(squashed, "security@example.com");
    expectIn(squashed, squash("Admission control runs in every cluster."));
    expectIn(squashed, "admission.pdf");
    expectIn(squashed, "ab".repeat(32));
    const provenance = pages.find((p) => p.includes("Provenance"))!;
    expect(provenance).toContain("Targets not read completely (1)");
    expect(provenance).toContain("Failed calls (1)");
    expectIn(squashed, squash("AccessDeniedException: User is not authorized to perform ecr:DescribeRepositories"));
    expect(provenance).toContain("eu-west-1");
    expectIn(squashed, squash("ECR.2: This mapping is Portwatch's own."));
  });

  it("keeps the ✓ and ✗ of the reasons, in embedded DejaVu fonts only", async () => {
    expect(layout).toMatch(/✓ ✗/);
    const { stdout } = await run("pdffonts", [file]);
    const fonts = stdout.split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBe(3);
    for (const line of fonts) expect(line).toMatch(/DejaVu\S*\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it("stamps its page number and the content digest on every page", async () => {
    const total = await pageCount(file);
    expect(pages.length).toBe(total);
    pages.forEach((page, i) => {
      expect(page).toMatch(new RegExp(`Page ${i + 1}\\b`));
      expect(page).toContain(`Content SHA-256: ${SHA}`);
    });
  });

  it("gives the same bytes for the same input, and other bytes for another digest", async () => {
    const again = await renderEvidencePdf(sampleEvidenceDocument(), { contentSha256: SHA });
    const first = await renderEvidencePdf(doc, { contentSha256: SHA });
    expect(again.equals(first)).toBe(true);
    const other = await renderEvidencePdf(doc, { contentSha256: "0".repeat(64) });
    expect(other.equals(first)).toBe(false);
  });

  it("renders page 1 and a control page to PNG for a look", async () => {
    await mkdir(SHOTS, { recursive: true });
    await run("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", file, path.join(SHOTS, "cover")]);
    const controlPage = pages.findIndex((p) => p.includes("Description: What ECR.1 asks for")) + 1;
    await run("pdftoppm", ["-png", "-r", "60", "-f", String(controlPage), "-l", String(controlPage), file, path.join(SHOTS, "control")]);
    const pad = String(pages.length).length;
    expect((await stat(path.join(SHOTS, `cover-${"1".padStart(pad, "0")}.png`))).size).toBeGreaterThan(1000);
    expect((await stat(path.join(SHOTS, `control-${String(controlPage).padStart(pad, "0")}.png`))).size).toBeGreaterThan(1000);
  });
});

describe("renderEvidencePdf on an empty document", () => {
  it("renders a framework with no controls, runs or targets, saying so", async () => {
    const doc = sampleEvidenceDocument({ controls: 0 });
    doc.summary.score = null;
    doc.runs = [];
    doc.provenance = { accounts: [], targets: [], callErrors: [] };
    const file = await write("empty.pdf", await renderEvidencePdf(doc, { contentSha256: SHA }));
    const layout = await text(file);
    const total = await pageCount(file);
    expect(total).toBe(4);
    expect(layout).toContain("Score n/a");
    expect(layout).toContain("No results.");
    expect(layout).toContain("Unknowns: 0 of 0 targets not read completely; 0 failed calls");
    expect(layout).toMatch(/Page 4\b/);
    expect(layout).not.toMatch(/Page 5\b/);
  });
});

describe("renderEvidencePdf on long documents", () => {
  it("breaks 12 controls × 40 results across pages, repeating the table header", async () => {
    const doc = sampleEvidenceDocument({ controls: 12, resultsPerControl: 40 });
    const file = await write("long.pdf", await renderEvidencePdf(doc, { contentSha256: SHA }));
    const pages = pagesOf(await text(file));
    const total = await pageCount(file);
    expect(total).toBeGreaterThan(doc.controls.length + 4);
    const continued = pages.filter((p) => /ECR\.\d+ results \(continued\)/.test(p));
    expect(continued.length).toBeGreaterThanOrEqual(doc.controls.length);
    for (const page of continued) {
      expect(page).toMatch(/Resource\s+Account \/\s+Status\s+Reason\s+Evidence/);
    }
    // Every result row made it in.
    const squashed = squash(await text(file, "-raw"));
    for (const control of doc.controls) {
      for (const result of control.results) expectIn(squashed, squash(result.resource));
    }
    expect(pages[total - 1]).toMatch(new RegExp(`Page ${total}\\b`));
  });

  it("keeps very long reasons and unbroken ARNs inside the page, and prints n/a for a null score", async () => {
    const doc = sampleEvidenceDocument({ controls: 2, resultsPerControl: 3 });
    doc.summary.score = null;
    doc.scope.accountIds = [];
    const longArn = `arn:aws:ecr:us-east-1:111122223333:repository/${"x".repeat(400)}`;
    doc.controls[0].results[1] = { ...doc.controls[0].results[1], resource: longArn, reason: "word ".repeat(900) };
    doc.controls[1].description = "A long description that must wrap. ".repeat(120);
    const file = await write("wide.pdf", await renderEvidencePdf(doc, { contentSha256: SHA }));
    const layout = await text(file);
    expect(layout).toContain("Score n/a");
    expect(layout).toMatch(/Scope: accounts: all/);
    // Nothing is cut: the whole ARN and all 900 words of the reason are in the text.
    const raw = await text(file, "-raw");
    expectIn(squash(raw), squash(longArn));
    expect(raw.match(/\bword\b/g)?.length).toBe(900);
    expect(raw).not.toContain("…");

    // Every word's box lies on the page: nothing runs off the right edge or below the footer.
    const { stdout } = await run("pdftotext", ["-bbox", file, "-"], { maxBuffer: 64 * 1024 * 1024 });
    const boxes = [...stdout.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(boxes.length).toBeGreaterThan(100);
    for (const [xMin, yMin, xMax, yMax] of boxes) {
      expect(xMin).toBeGreaterThanOrEqual(39);
      expect(xMax).toBeLessThanOrEqual(595.28 - 39);
      expect(yMin).toBeGreaterThanOrEqual(0);
      expect(yMax).toBeLessThanOrEqual(841.89 - 20);
    }
  });
});
