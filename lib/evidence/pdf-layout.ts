import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ResultStatus } from "@/lib/compliance/types";

/**
 * Page geometry, fonts and the one table routine the evidence PDF (pdf.ts) is drawn with. Units are
 * PDF points (1/72 inch) on A4 portrait.
 */

export type Pdf = PDFKit.PDFDocument;

export const PAGE = {
  size: "A4",
  width: 595.28,
  height: 841.89,
  margins: { top: 48, bottom: 64, left: 40, right: 40 },
} as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.margins.left - PAGE.margins.right;
/** Lowest y body text may reach; the footer lives below it. */
export const BODY_BOTTOM = PAGE.height - PAGE.margins.bottom;

export const FONT = { regular: "DejaVuSans", bold: "DejaVuSans-Bold", mono: "DejaVuSansMono" } as const;
export type FontRole = keyof typeof FONT;

let fontCache: { paths: Record<FontRole, string>; data: Record<FontRole, Buffer> } | null = null;

/**
 * The DejaVu TTFs from the dejavu-fonts-ttf package, read once per process. Embedded (and subset
 * by pdfkit) because the 14 standard PDF fonts have no ✓ ✗ and only Latin-1; nothing is fetched.
 */
export function loadFonts(): { paths: Record<FontRole, string>; data: Record<FontRole, Buffer> } {
  if (fontCache) return fontCache;
  const require = createRequire(import.meta.url);
  const resolve = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`);
  const paths = { regular: resolve(FONT.regular), bold: resolve(FONT.bold), mono: resolve(FONT.mono) };
  fontCache = { paths, data: { regular: readFileSync(paths.regular), bold: readFileSync(paths.bold), mono: readFileSync(paths.mono) } };
  return fontCache;
}

/**
 * Status colours, chosen so their greys stay apart on a black-and-white printout (dark FAIL,
 * mid ERROR/MANUAL, light PASS/N/A); every chart also prints the numbers, so colour is never the
 * only carrier.
 */
export const STATUS_COLOR: Record<ResultStatus, string> = {
  FAIL: "#a61b1b",
  ERROR: "#d9730d",
  MANUAL: "#6b4fa3",
  EXCEPTED: "#e3b53b",
  PASS: "#2e7d32",
  INHERITED: "#8cc68f",
  NOT_APPLICABLE: "#d4d4d4",
};
/** Text colour that stays legible on each status colour. */
export const STATUS_INK: Record<ResultStatus, string> = {
  FAIL: "#ffffff",
  ERROR: "#000000",
  MANUAL: "#ffffff",
  EXCEPTED: "#000000",
  PASS: "#ffffff",
  INHERITED: "#000000",
  NOT_APPLICABLE: "#000000",
};

export const INK = "#1a1a1a";
export const MUTED = "#555555";
export const RULE = "#b8b8b8";
export const HEADER_FILL = "#e6e9ee";
export const ZEBRA_FILL = "#f6f7f9";

/** "2026-11-28 06:00:00 UTC": fixed format, no locale or time zone of the machine leaks in. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Starts a new page when fewer than `needed` points are left, so a heading never sits alone at the bottom. */
export function ensureSpace(doc: Pdf, needed: number): void {
  if (doc.y + needed > BODY_BOTTOM) doc.addPage();
  doc.x = PAGE.margins.left;
}

export function heading(doc: Pdf, text: string, size = 15, destination?: string): void {
  ensureSpace(doc, size * 4);
  doc.font(FONT.bold).fontSize(size).fillColor(INK);
  if (destination) doc.addNamedDestination(destination);
  doc.text(text, PAGE.margins.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
}

/** A wrapped paragraph; pdfkit carries text that does not fit onto the next page by itself. */
export function paragraph(doc: Pdf, text: string, options: { font?: FontRole; size?: number; color?: string; gap?: number } = {}): void {
  doc.font(FONT[options.font ?? "regular"]).fontSize(options.size ?? 9).fillColor(options.color ?? INK);
  doc.text(text, PAGE.margins.left, doc.y, { width: CONTENT_WIDTH, lineGap: 1 });
  doc.moveDown(options.gap ?? 0.4);
}

/** "Label: value" with the label in bold, wrapped as one paragraph. */
export function labelled(doc: Pdf, label: string, value: string, options: { mono?: boolean; size?: number } = {}): void {
  const size = options.size ?? 9;
  ensureSpace(doc, size * 2.5);
  doc.font(FONT.bold).fontSize(size).fillColor(INK);
  doc.text(`${label}: `, PAGE.margins.left, doc.y, { width: CONTENT_WIDTH, continued: true, lineGap: 1 });
  doc.font(FONT[options.mono ? "mono" : "regular"]).text(value, { lineGap: 1 });
  doc.moveDown(0.25);
}

export interface Column<R> {
  header: string;
  /** Points; the widths of a table add up to CONTENT_WIDTH. */
  width: number;
  value: (row: R) => string;
  font?: FontRole;
  /** Points; defaults to the table's size. */
  size?: number;
  align?: "left" | "right" | "center";
  /** Paints behind the cell's text (a status swatch). */
  decorate?: (doc: Pdf, row: R, box: { x: number; y: number; width: number; height: number }) => void;
}

const PAD = 3;

/**
 * Draws rows under a header that is repeated at the top of every page the table continues on.
 * Each row is measured before it is drawn and moved whole to the next page when it does not fit;
 * every text call gets an explicit height so pdfkit never adds a page on its own mid-row. A row
 * taller than a whole page continues in follow-on rows (splitToHeight).
 */
export function drawTable<R>(doc: Pdf, columns: Column<R>[], rows: Iterable<R>, options: { size?: number; title?: string } = {}): void {
  const size = options.size ?? 7;
  const left = PAGE.margins.left;
  const cellHeight = (text: string, column: Column<R>, bold = false) => {
    doc.font(FONT[bold ? "bold" : (column.font ?? "regular")]).fontSize(column.size ?? size);
    return doc.heightOfString(text || " ", { width: column.width - 2 * PAD - (column.decorate && !bold ? 3 : 0), lineGap: 0 });
  };

  const headerHeight = Math.max(...columns.map((c) => cellHeight(c.header, c, true))) + 2 * PAD;
  const drawHeader = (continued: boolean) => {
    if (options.title && continued) {
      doc.font(FONT.bold).fontSize(8).fillColor(MUTED).text(`${options.title} (continued)`, left, doc.y, { width: CONTENT_WIDTH });
      doc.moveDown(0.2);
    }
    const y = doc.y;
    doc.rect(left, y, CONTENT_WIDTH, headerHeight).fill(HEADER_FILL);
    let x = left;
    for (const column of columns) {
      doc.font(FONT.bold).fontSize(column.size ?? size).fillColor(INK);
      doc.text(column.header, x + PAD, y + PAD, { width: column.width - 2 * PAD, height: headerHeight, align: column.align ?? "left", lineGap: 0 });
      x += column.width;
    }
    doc.y = y + headerHeight;
  };

  // The tallest row a page can take under its header.
  const maxRowHeight = BODY_BOTTOM - PAGE.margins.top - headerHeight - 20;
  if (doc.y + headerHeight + 20 > BODY_BOTTOM) doc.addPage();
  drawHeader(false);
  let index = 0;
  const drawRow = (row: R, texts: string[]) => {
    const height = Math.max(...texts.map((t, i) => cellHeight(t, columns[i]))) + 2 * PAD;
    if (doc.y + height > BODY_BOTTOM) {
      doc.addPage();
      drawHeader(true);
    }
    const y = doc.y;
    if (index % 2 === 1) doc.rect(left, y, CONTENT_WIDTH, height).fill(ZEBRA_FILL);
    let x = left;
    columns.forEach((column, i) => {
      column.decorate?.(doc, row, { x, y, width: column.width, height });
      doc.font(FONT[column.font ?? "regular"]).fontSize(column.size ?? size).fillColor(INK);
      // A decorated cell's text starts after its swatch.
      const indent = column.decorate ? 3 : 0;
      doc.text(texts[i], x + PAD + indent, y + PAD, { width: column.width - 2 * PAD - indent, height: height - 2 * PAD + 0.5, ellipsis: true, align: column.align ?? "left", lineGap: 0 });
      x += column.width;
    });
    doc.moveTo(left, y + height).lineTo(left + CONTENT_WIDTH, y + height).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.y = y + height;
  };
  for (const row of rows) {
    const texts = columns.map((c) => c.value(row));
    const tallest = Math.max(...texts.map((t, i) => cellHeight(t, columns[i]))) + 2 * PAD;
    if (tallest <= maxRowHeight) {
      drawRow(row, texts);
    } else {
      // Taller than a page (a reason of thousands of characters): cut every overlong cell into
      // page-sized pieces and draw them as follow-on rows, so no text is lost or runs off the page.
      const pieces = texts.map((t, i) => splitToHeight(t, (part) => cellHeight(part, columns[i]) + 2 * PAD <= maxRowHeight));
      const parts = Math.max(...pieces.map((p) => p.length));
      for (let k = 0; k < parts; k++) drawRow(row, pieces.map((p, i) => p[k] ?? (k > 0 && i === 0 ? "(continued)" : "")));
    }
    index += 1;
  }
  if (index === 0) {
    doc.font(FONT.regular).fontSize(size).fillColor(MUTED).text("None.", left + PAD, doc.y + PAD, { width: CONTENT_WIDTH });
  }
  doc.x = left;
  doc.y += 8;
}

/** pdfkit's current font and size: kept across a footer drawn in the middle of a page break. */
interface FontState {
  _font: unknown;
  _fontSize: number;
}

/**
 * Stamps the footer ("Page N" and the content digest) on the page being left, then writes it out
 * (flushPages), so memory holds one page however long the report is: holding every page until the
 * end, to print "of M", took about 0.8 MB a page (700 MB for 900 pages). The bottom margin is
 * lifted while stamping, because text below it would make pdfkit open a new page; the font is put
 * back, because a paragraph may be continuing onto the next page.
 */
export function sealPage(doc: Pdf, pageNumber: number, contentSha256: string, label: string): void {
  const state = doc as unknown as FontState;
  const saved = { font: state._font, size: state._fontSize };
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const y = PAGE.height - PAGE.margins.bottom + 18;
  doc.save();
  doc.moveTo(PAGE.margins.left, y - 6).lineTo(PAGE.width - PAGE.margins.right, y - 6).lineWidth(0.4).strokeColor(RULE).stroke();
  doc.font(FONT.regular).fontSize(7).fillColor(MUTED);
  doc.text(label, PAGE.margins.left, y, { width: CONTENT_WIDTH - 90, lineBreak: false });
  doc.font(FONT.bold).text(`Page ${pageNumber}`, PAGE.width - PAGE.margins.right - 90, y, { width: 90, align: "right", lineBreak: false });
  doc.font(FONT.mono).fontSize(7).fillColor(MUTED);
  doc.text(`Content SHA-256: ${contentSha256}`, PAGE.margins.left, y + 11, { width: CONTENT_WIDTH, lineBreak: false });
  doc.restore();
  doc.page.margins.bottom = bottom;
  state._font = saved.font;
  state._fontSize = saved.size;
  doc.flushPages();
}

/**
 * Splits text into pieces that each satisfy `fits`, cutting at the last space before the limit
 * when there is one near it (binary search on the prefix length: O(log n) measurements per piece).
 */
export function splitToHeight(text: string, fits: (part: string) => boolean): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0 && !fits(rest)) {
    let low = 1;
    let high = rest.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits(rest.slice(0, mid))) low = mid;
      else high = mid - 1;
    }
    const space = rest.lastIndexOf(" ", low);
    const cut = space > low - 200 && space > 0 ? space : low;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
