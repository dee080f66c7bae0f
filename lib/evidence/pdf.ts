import PDFDocument from "pdfkit";
import { formatScore, worstStatus } from "@/lib/compliance/score";
import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import { drawSeverityChart, orderSeverities } from "./pdf-chart";
import {
  CONTENT_WIDTH,
  type Column,
  FONT,
  INK,
  MUTED,
  PAGE,
  type Pdf,
  STATUS_COLOR,
  drawTable,
  formatDate,
  heading,
  labelled,
  loadFonts,
  paragraph,
  sealPage,
} from "./pdf-layout";
import type { EvidenceAttestation, EvidenceControl, EvidenceDocument, EvidenceException, EvidenceResult, EvidenceTarget } from "./types";

/**
 * The audit-ready PDF of an evidence document: cover, summary (score, counts, chart), the control
 * matrix, one section per control with its results, exceptions and attestations, provenance (what
 * was read and what could not be), and the note on mappings that are Portwatch's own. Every page
 * carries "Page N of M" and the content digest, so a single printed page can be tied back to the
 * signed manifest.
 *
 * Deterministic: the same document and digest give the same bytes. pdfkit's file ID is an MD5 of
 * the info dictionary (not random), and CreationDate defaults to "now"; both come from the
 * document here (generatedAt, and the digest in Keywords), and font subset tags derive from the
 * font ids, so nothing depends on the clock or the machine.
 */
export async function renderEvidencePdf(doc: EvidenceDocument, options: { contentSha256: string }): Promise<Buffer> {
  const { contentSha256 } = options;
  if (!contentSha256) throw new Error("renderEvidencePdf: contentSha256 is required (it is printed on every page)");
  const fonts = loadFonts();
  const generatedAt = new Date(doc.generatedAt);
  const title = `${doc.framework.name} ${doc.framework.version}: evidence as of ${formatDate(doc.asOf)}`;

  const pdf: Pdf = new PDFDocument({
    size: PAGE.size,
    margins: { ...PAGE.margins },
    bufferPages: true,
    autoFirstPage: false,
    // pdfkit opens Helvetica (an AFM file read from its own folder) as the default font unless
    // told otherwise; start on DejaVu so no standard font is ever loaded or referenced.
    font: fonts.paths.regular,
    pdfVersion: "1.7",
    lang: "en",
    displayTitle: true,
    info: {
      Title: title,
      Author: doc.generatedBy.email,
      Subject: `Portwatch evidence export, framework ${doc.framework.id}, evaluation ${doc.evaluation.id}`,
      Keywords: `content-sha256:${contentSha256}`,
      Creator: `Portwatch ${doc.portwatchVersion}`,
      Producer: `Portwatch ${doc.portwatchVersion} (PDFKit)`,
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
  });
  // Collected chunk by chunk as pdfkit writes: one copy of the file, no intermediate strings.
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });

  // Every page gets its footer and is written out as the next one starts (pdfkit's own page breaks
  // included), so a report of thousands of pages needs the memory of one.
  const label = `Portwatch evidence · ${doc.framework.id} ${doc.framework.version} · as of ${formatDate(doc.asOf)}`;
  let pageNumber = 0;
  const addPage = pdf.addPage.bind(pdf);
  pdf.addPage = (options?: PDFKit.PDFDocumentOptions) => {
    if (pageNumber > 0) sealPage(pdf, pageNumber, contentSha256, label);
    pageNumber += 1;
    return addPage(options);
  };

  pdf.registerFont(FONT.regular, fonts.data.regular);
  pdf.registerFont(FONT.bold, fonts.data.bold);
  pdf.registerFont(FONT.mono, fonts.data.mono);
  pdf.font(FONT.regular);

  pdf.addPage();
  pdf.outline.addItem("Cover");
  drawCover(pdf, doc, contentSha256);

  pdf.addPage();
  pdf.outline.addItem("Summary");
  drawSummary(pdf, doc);

  pdf.addPage();
  pdf.outline.addItem("Control matrix");
  drawMatrix(pdf, doc.controls);

  const controlsOutline = pdf.outline.addItem("Controls");
  for (const control of doc.controls) {
    pdf.addPage();
    controlsOutline.addItem(`${control.id} ${control.title}`);
    drawControl(pdf, control);
  }

  pdf.addPage();
  pdf.outline.addItem("Provenance");
  drawProvenance(pdf, doc);
  drawMappingNotes(pdf, doc);

  sealPage(pdf, pageNumber, contentSha256, label);
  pdf.end();
  return finished;
}

const all = (list: string[]) => (list.length === 0 ? "all" : list.join(", "));

function drawCover(pdf: Pdf, doc: EvidenceDocument, contentSha256: string): void {
  pdf.font(FONT.regular).fontSize(10).fillColor(MUTED).text("Portwatch · Amazon ECR compliance evidence", PAGE.margins.left, 90, { width: CONTENT_WIDTH });
  pdf.moveDown(0.8);
  pdf.font(FONT.bold).fontSize(24).fillColor(INK).text(doc.framework.name, { width: CONTENT_WIDTH });
  pdf.moveDown(0.2);
  pdf.font(FONT.regular).fontSize(12).fillColor(INK).text(`Framework id ${doc.framework.id} · version ${doc.framework.version}`, { width: CONTENT_WIDTH });
  pdf.moveDown(1.5);

  labelled(pdf, "Scope: accounts", all(doc.scope.accountIds), { size: 10 });
  labelled(pdf, "Scope: regions", all(doc.scope.regions), { size: 10 });
  labelled(pdf, "As of", `${formatDate(doc.asOf)} (when the evaluated collection finished; the results describe this moment)`, { size: 10 });
  labelled(pdf, "Evaluation", `#${doc.evaluation.id} of run #${doc.evaluation.runId}, evaluated ${formatDate(doc.evaluation.evaluatedAt)}`, { size: 10 });
  pdf.moveDown(0.4);

  pdf.font(FONT.bold).fontSize(10).fillColor(INK).text("Runs the results come from", PAGE.margins.left, pdf.y, { width: CONTENT_WIDTH });
  pdf.moveDown(0.3);
  drawTable(
    pdf,
    [
      { header: "Run", width: 60, value: (r) => `#${r.id}` },
      { header: "Status", width: 80, value: (r) => r.status },
      { header: "Trigger", width: 90, value: (r) => r.trigger },
      { header: "Started", width: 140, value: (r) => formatDate(r.startedAt) },
      { header: "Finished", width: CONTENT_WIDTH - 370, value: (r) => formatDate(r.finishedAt) },
    ],
    doc.runs,
    { size: 8.5, title: "Runs" },
  );
  pdf.moveDown(0.6);

  labelled(pdf, "Generated by", `${doc.generatedBy.email} (${doc.generatedBy.role})`, { size: 10 });
  labelled(pdf, "Generated at", formatDate(doc.generatedAt), { size: 10 });
  labelled(pdf, "Portwatch version", doc.portwatchVersion, { size: 10 });
  pdf.moveDown(0.6);
  labelled(pdf, "Content SHA-256", contentSha256, { mono: true, size: 10 });
  paragraph(
    pdf,
    "The content digest is the SHA-256 of the source result rows in a canonical order and encoding. It is printed at the foot of every page and recorded, with the SHA-256 of this file, in the export's signed manifest: a page whose digest matches the manifest belongs to this export.",
    { size: 8.5, color: MUTED },
  );
}

/** How each status enters the score (spec/CONTROLS.md, Score). */
const SCORE_ROLE: Record<ResultStatus, string> = {
  PASS: "counts as met",
  INHERITED: "counts as met",
  EXCEPTED: "counts as met (accepted FAIL)",
  FAIL: "counts as not met",
  ERROR: "left out: could not be read, shown beside the score",
  MANUAL: "left out: needs a person, shown beside the score",
  NOT_APPLICABLE: "left out",
};

function drawSummary(pdf: Pdf, doc: EvidenceDocument): void {
  const c = doc.summary.counts;
  const total = RESULT_STATUSES.reduce((sum, s) => sum + c[s], 0);
  const met = c.PASS + c.INHERITED + c.EXCEPTED;
  const judged = total - c.NOT_APPLICABLE - c.ERROR - c.MANUAL;
  heading(pdf, "Summary", 16);

  // The score and its unknowns on one line, placed by hand: a "continued" run of two sizes would
  // take the smaller line height and let the next line overlap the large figure.
  const scoreText = `Score ${formatScore(doc.summary.score)}`;
  const top = pdf.y;
  pdf.font(FONT.bold).fontSize(20).fillColor(INK).text(scoreText, PAGE.margins.left, top, { lineBreak: false });
  const scoreWidth = pdf.widthOfString(scoreText);
  pdf.font(FONT.regular).fontSize(11).fillColor(MUTED).text(`ERROR ${c.ERROR} · MANUAL ${c.MANUAL} (unknowns, beside the score, not in it)`, PAGE.margins.left + scoreWidth + 16, top + 7, { lineBreak: false });
  pdf.x = PAGE.margins.left;
  pdf.y = top + 30;
  paragraph(pdf, `(PASS + INHERITED + EXCEPTED) / (all − NOT_APPLICABLE − ERROR − MANUAL) = ${met} / ${judged}${judged === 0 ? " (n/a: nothing could be judged)" : ""}`, { size: 9 });
  const failingHigh = doc.controls.filter((control) => control.counts.FAIL > 0 && ["critical", "high"].includes(control.severity.toLowerCase())).length;
  paragraph(pdf, `${total} results over ${doc.controls.length} controls; ${failingHigh} critical or high controls have at least one FAIL. ERROR and MANUAL results are unknowns, never counted as met or not met.`, { size: 9, color: MUTED, gap: 0.8 });

  pdf.font(FONT.bold).fontSize(11).fillColor(INK).text("Results per status", PAGE.margins.left, pdf.y);
  pdf.moveDown(0.3);
  const statusColumns: Column<ResultStatus>[] = [
    { header: "Status", width: 120, value: (s) => s, font: "bold", decorate: swatch((s) => s) },
    { header: "Results", width: 60, value: (s) => String(c[s]), align: "right" },
    { header: "Share", width: 60, value: (s) => (total === 0 ? "—" : `${((c[s] / total) * 100).toFixed(1)}%`), align: "right" },
    { header: "In the score", width: CONTENT_WIDTH - 240, value: (s) => SCORE_ROLE[s] },
  ];
  drawTable(pdf, statusColumns, RESULT_STATUSES, { size: 8.5 });

  pdf.font(FONT.bold).fontSize(11).fillColor(INK).text("Results per severity and status", PAGE.margins.left, pdf.y);
  pdf.moveDown(0.3);
  const severities = orderSeverities(Object.keys(doc.summary.bySeverity));
  const cellWidth = 57;
  const severityColumns: Column<string>[] = [
    { header: "Severity", width: 62, value: (s) => s, font: "bold" },
    ...RESULT_STATUSES.map((status): Column<string> => ({
      header: status.replace("_", " "),
      // "APPLICABLE" needs a wider cell than the other names to stay one word.
      width: status === "NOT_APPLICABLE" ? cellWidth + 10 : cellWidth,
      value: (s) => String(doc.summary.bySeverity[s]?.[status] ?? 0),
      align: "right",
    })),
    { header: "Total", width: CONTENT_WIDTH - 62 - 10 - cellWidth * RESULT_STATUSES.length, value: (s) => String(RESULT_STATUSES.reduce((sum, st) => sum + (doc.summary.bySeverity[s]?.[st] ?? 0), 0)), align: "right", font: "bold" },
  ];
  drawTable(pdf, severityColumns, severities, { size: 7.5 });

  pdf.font(FONT.bold).fontSize(11).fillColor(INK).text("Share of results per status, by control severity", PAGE.margins.left, pdf.y);
  pdf.moveDown(0.5);
  drawSeverityChart(pdf, doc.summary.bySeverity);
}

/** A narrow bar in the status colour at the cell's left edge. */
function swatch<R>(statusOf: (row: R) => ResultStatus | null) {
  return (doc: Pdf, row: R, box: { x: number; y: number; height: number }) => {
    const status = statusOf(row);
    if (status) doc.rect(box.x, box.y + 1, 2.5, box.height - 2).fill(STATUS_COLOR[status]);
  };
}

/** Matrix column headings: the full names do not fit 30 points, so a key follows the table. */
const SHORT: Record<ResultStatus, string> = { FAIL: "FAIL", ERROR: "ERR", MANUAL: "MAN", EXCEPTED: "EXC", PASS: "PASS", INHERITED: "INH", NOT_APPLICABLE: "N/A" };

function drawMatrix(pdf: Pdf, controls: EvidenceControl[]): void {
  heading(pdf, "Control matrix", 16);
  paragraph(pdf, "Results per control and status. Worst is the first status present in the order FAIL, ERROR, MANUAL, EXCEPTED, PASS, INHERITED, NOT_APPLICABLE.", { size: 8.5, color: MUTED });
  const countWidth = 30;
  const fixed = 56 + 46 + 58 + countWidth * RESULT_STATUSES.length;
  const columns: Column<EvidenceControl>[] = [
    { header: "Control", width: 56, value: (c) => c.id, font: "bold" },
    { header: "Title", width: CONTENT_WIDTH - fixed, value: (c) => c.title },
    { header: "Severity", width: 46, value: (c) => c.severity },
    ...RESULT_STATUSES.map((status): Column<EvidenceControl> => ({ header: SHORT[status], width: countWidth, value: (c) => String(c.counts[status] ?? 0), align: "right" })),
    { header: "Worst", width: 58, value: (c) => worstStatus(c.counts) ?? "—", font: "bold", size: 6.5, decorate: swatch((c) => worstStatus(c.counts)) },
  ];
  drawTable(pdf, columns, controls, { size: 7, title: "Control matrix" });
  paragraph(pdf, `Key: ${RESULT_STATUSES.map((s) => `${SHORT[s]} = ${s}`).join(", ")}.`, { size: 7.5, color: MUTED });
}

/** Checks and evidence fields as "key=value; ...", each value cut at 80 characters and the whole at 400: the raw evidence is in the JSON export. */
function compactEvidence(result: EvidenceResult): string {
  const parts: string[] = [];
  if (result.checks.length) parts.push(`checks: ${result.checks.map((c) => `${c.check}=${c.status}`).join(", ")}`);
  let length = parts[0]?.length ?? 0;
  for (const [key, raw] of Object.entries(result.evidence)) {
    let value = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? String(raw));
    if (value.length > 80) value = `${value.slice(0, 79)}…`;
    const part = `${key}=${value}`;
    if (length + part.length > 400) {
      parts.push("…");
      break;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join("; ");
}

function drawControl(pdf: Pdf, control: EvidenceControl): void {
  heading(pdf, `${control.id}  ${control.title}`, 14);
  const worst = worstStatus(control.counts);
  labelled(pdf, "Severity", control.severity);
  labelled(pdf, "Results", `${RESULT_STATUSES.map((s) => `${s} ${control.counts[s] ?? 0}`).join(" · ")}${worst ? ` (worst: ${worst})` : ""}`);
  labelled(pdf, "Description", control.description || "—");
  labelled(pdf, "Implementation", control.implementation || "—");
  labelled(pdf, "Crosswalk", control.crosswalk.length ? control.crosswalk.join(", ") : "—");
  if (control.mappingNote) labelled(pdf, "Mapping note", control.mappingNote);
  pdf.moveDown(0.4);

  subheading(pdf, `Results (${control.results.length})`);
  const resultColumns: Column<EvidenceResult>[] = [
    { header: "Resource", width: 146, value: (r) => r.resource, font: "mono", size: 6.5 },
    { header: "Account / region", width: 66, value: (r) => `${r.accountId ?? "—"}\n${r.region ?? "—"}${r.scope === "repository" ? "" : `\n(${r.scope})`}`, size: 6.5 },
    { header: "Status", width: 72, value: (r) => (r.exceptionId ? `${r.status}\nexception ${r.exceptionId}` : r.status), font: "bold", size: 6.5, decorate: swatch((r) => r.status) },
    { header: "Reason", width: CONTENT_WIDTH - 396, value: (r) => r.reason },
    { header: "Evidence", width: 112, value: compactEvidence, font: "mono", size: 6 },
  ];
  drawTable(pdf, resultColumns, control.results, { size: 7, title: `${control.id} results` });

  subheading(pdf, `Exceptions (${control.exceptions.length})`);
  const exceptionColumns: Column<EvidenceException>[] = [
    { header: "Applies to", width: 100, value: (e) => `${e.id}\n${e.resourcePattern}\n${e.accountId ?? "any account"} / ${e.region ?? "any region"}`, font: "mono", size: 6.5 },
    { header: "Reason", width: CONTENT_WIDTH - 100 - 75 - 75 - 3 * 58, value: (e) => e.reason },
    { header: "Owner", width: 75, value: (e) => e.owner },
    { header: "Approver", width: 75, value: (e) => e.approvedBy },
    { header: "Created", width: 58, value: (e) => formatDate(e.createdAt) },
    { header: "Expires", width: 58, value: (e) => formatDate(e.expiresAt) },
    { header: "Revoked", width: 58, value: (e) => (e.revokedAt ? `${formatDate(e.revokedAt)}${e.revokedBy ? ` by ${e.revokedBy}` : ""}` : "not revoked") },
  ];
  drawTable(pdf, exceptionColumns, control.exceptions, { size: 7, title: `${control.id} exceptions` });

  subheading(pdf, `Attestations (${control.attestations.length})`);
  const attestationColumns: Column<EvidenceAttestation>[] = [
    { header: "Statement", width: CONTENT_WIDTH - 75 - 3 * 58 - 130, value: (a) => a.text },
    { header: "Attester", width: 75, value: (a) => a.attester },
    { header: "Attested", width: 58, value: (a) => formatDate(a.attestedAt) },
    { header: "Expires", width: 58, value: (a) => formatDate(a.expiresAt) },
    { header: "Revoked", width: 58, value: (a) => (a.revokedAt ? formatDate(a.revokedAt) : "not revoked") },
    { header: "File (SHA-256)", width: 130, value: (a) => (a.fileName ? `${a.fileName}\n${a.fileSha256 ?? "no digest"}` : "no file"), font: "mono", size: 6 },
  ];
  drawTable(pdf, attestationColumns, control.attestations, { size: 7, title: `${control.id} attestations` });
}

function subheading(pdf: Pdf, text: string): void {
  if (pdf.y + 60 > PAGE.height - PAGE.margins.bottom) pdf.addPage();
  pdf.font(FONT.bold).fontSize(10.5).fillColor(INK).text(text, PAGE.margins.left, pdf.y, { width: CONTENT_WIDTH });
  pdf.moveDown(0.25);
}

function drawProvenance(pdf: Pdf, doc: EvidenceDocument): void {
  const { accounts, targets, callErrors } = doc.provenance;
  heading(pdf, "Provenance", 16);
  paragraph(pdf, "What was read to produce these results, when, and what could not be read. A target or call that failed leaves its checks at ERROR (unknown), never at PASS.", { size: 8.5, color: MUTED });
  const incomplete = targets.filter((t) => t.status !== "done");
  labelled(pdf, "Scope", `accounts ${all(doc.scope.accountIds)}; regions ${all(doc.scope.regions)}`);
  labelled(pdf, "Regions read", [...new Set(targets.map((t) => t.region))].sort().join(", ") || "none");
  labelled(pdf, "Unknowns", `${incomplete.length} of ${targets.length} targets not read completely; ${callErrors.length} failed calls`);
  pdf.moveDown(0.3);

  subheading(pdf, `Accounts (${accounts.length})`);
  drawTable(
    pdf,
    [
      { header: "Account id", width: 120, value: (a) => a.id, font: "mono" },
      { header: "Name", width: CONTENT_WIDTH - 240, value: (a) => a.name ?? "—" },
      { header: "Environment", width: 120, value: (a) => a.environment ?? "—" },
    ],
    accounts,
    { size: 8, title: "Accounts" },
  );

  const targetColumns: Column<EvidenceTarget>[] = [
    { header: "Account", width: 78, value: (t) => t.accountId, font: "mono" },
    { header: "Region", width: 70, value: (t) => t.region },
    { header: "Status", width: 55, value: (t) => t.status, font: "bold" },
    { header: "Read at", width: 72, value: (t) => formatDate(t.finishedAt) },
    { header: "Error", width: CONTENT_WIDTH - 275, value: (t) => (t.errorName || t.error ? `${t.errorName ?? "error"}${t.errorOperation ? ` in ${t.errorOperation}` : ""}: ${t.error ?? ""}` : "—") },
  ];
  subheading(pdf, `Targets (${targets.length})`);
  drawTable(pdf, targetColumns, targets, { size: 7.5, title: "Targets" });
  subheading(pdf, `Targets not read completely (${incomplete.length})`);
  drawTable(pdf, targetColumns, incomplete, { size: 7.5, title: "Targets not read completely" });

  subheading(pdf, `Failed calls (${callErrors.length})`);
  drawTable(
    pdf,
    [
      { header: "Account", width: 78, value: (e) => e.accountId, font: "mono" },
      { header: "Region", width: 62, value: (e) => e.region },
      { header: "Operation", width: 100, value: (e) => `${e.service}:${e.operation}` },
      { header: "Resource", width: 100, value: (e) => e.resource ?? "—", font: "mono", size: 6.5 },
      { header: "Error", width: CONTENT_WIDTH - 340, value: (e) => `${e.errorName}: ${e.message}` },
    ],
    callErrors,
    { size: 7.5, title: "Failed calls" },
  );
}

function drawMappingNotes(pdf: Pdf, doc: EvidenceDocument): void {
  const noted = doc.controls.filter((c) => c.mappingNote);
  pdf.moveDown(0.6);
  heading(pdf, "Mappings that are Portwatch's own", 13);
  pdf.outline.addItem("Mapping notes");
  if (!doc.mappingNote && noted.length === 0) {
    paragraph(pdf, "Every control in this document is mapped as the framework publishes it; none of the mappings is Portwatch's own.", { size: 9 });
    return;
  }
  if (doc.mappingNote) paragraph(pdf, doc.mappingNote, { size: 9 });
  for (const control of noted) labelled(pdf, control.id, control.mappingNote ?? "");
}
