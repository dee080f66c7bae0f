import { RESULT_STATUSES, type ResultStatus } from "@/lib/compliance/types";
import { CONTENT_WIDTH, FONT, INK, MUTED, PAGE, type Pdf, RULE, STATUS_COLOR, STATUS_INK, ensureSpace } from "./pdf-layout";

/** Severities in the order an auditor reads them; any other label follows, alphabetically. */
export function orderSeverities(severities: Iterable<string>): string[] {
  const known = ["critical", "high", "medium", "low", "informational"];
  const rank = (s: string) => {
    const i = known.indexOf(s.toLowerCase());
    return i === -1 ? known.length : i;
  };
  return [...new Set(severities)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * One horizontal bar per severity, split by status, drawn with vectors. Each bar is scaled to its
 * own total (shares, not volumes: a low-severity control with many repositories would otherwise
 * dwarf the critical ones) and the total is printed at its end. Segments wide enough carry their
 * count, and a legend names every colour, so the chart still reads when printed in grey.
 */
export function drawSeverityChart(doc: Pdf, bySeverity: Record<string, Record<ResultStatus, number>>): void {
  const severities = orderSeverities(Object.keys(bySeverity));
  const labelWidth = 70;
  const totalWidth = 60;
  const barWidth = CONTENT_WIDTH - labelWidth - totalWidth;
  const barHeight = 16;
  const gap = 7;
  ensureSpace(doc, severities.length * (barHeight + gap) + 50);
  const left = PAGE.margins.left;
  let y = doc.y;

  if (severities.length === 0) {
    doc.font(FONT.regular).fontSize(8).fillColor(MUTED).text("No results.", left, y);
    return;
  }
  for (const severity of severities) {
    const counts = bySeverity[severity];
    const total = RESULT_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    doc.font(FONT.bold).fontSize(8).fillColor(INK).text(severity, left, y + 4, { width: labelWidth - 6, lineBreak: false });
    let x = left + labelWidth;
    if (total === 0) {
      doc.rect(x, y, barWidth, barHeight).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    for (const status of RESULT_STATUSES) {
      const n = counts[status] ?? 0;
      if (n === 0 || total === 0) continue;
      const width = (n / total) * barWidth;
      doc.rect(x, y, width, barHeight).fill(STATUS_COLOR[status]);
      // Thin white separators keep adjacent segments apart when their greys are close.
      doc.moveTo(x + width, y).lineTo(x + width, y + barHeight).lineWidth(0.8).strokeColor("#ffffff").stroke();
      const label = String(n);
      doc.font(FONT.bold).fontSize(7);
      if (doc.widthOfString(label) + 4 <= width) {
        doc.fillColor(STATUS_INK[status]).text(label, x, y + 4.5, { width, align: "center", lineBreak: false });
      }
      x += width;
    }
    doc.font(FONT.regular).fontSize(8).fillColor(INK).text(`${total} results`, left + labelWidth + barWidth + 6, y + 4, { width: totalWidth - 6, lineBreak: false });
    y += barHeight + gap;
  }

  // Legend: a swatch and the status name, wrapped across the content width.
  y += 2;
  let x = left + labelWidth;
  doc.font(FONT.regular).fontSize(7);
  for (const status of RESULT_STATUSES) {
    const width = 12 + doc.widthOfString(status) + 12;
    if (x + width > left + CONTENT_WIDTH) {
      x = left + labelWidth;
      y += 12;
    }
    doc.rect(x, y, 8, 8).fill(STATUS_COLOR[status]);
    doc.rect(x, y, 8, 8).lineWidth(0.3).strokeColor(INK).stroke();
    doc.fillColor(INK).text(status, x + 11, y, { lineBreak: false });
    x += width;
  }
  doc.x = left;
  doc.y = y + 20;
}
