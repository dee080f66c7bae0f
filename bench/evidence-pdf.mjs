// Benchmark: the evidence PDF writer (lib/evidence/pdf.ts) over a synthetic document of 60 controls
// x 40 results (2,400 result rows, well over 100 pages), 3 timed runs in one process.
// Prints per run: render time, file size, page count (poppler's pdfinfo) and the process's peak
// RSS so far. Peak RSS comes from process.resourceUsage().maxRSS (the kernel's high-water mark):
// the render is synchronous until pdfkit ends, so a timer sampling memoryUsage() would miss it.
// Targets: < 10 s per render and < 512 MB peak RSS.
// Run by hand: node bench/evidence-pdf.mjs [controls] [resultsPerControl]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { renderEvidencePdf } = await import("../lib/evidence/pdf.ts");
const { sampleEvidenceDocument } = await import("../lib/evidence/testing.ts");

const CONTROLS = Number(process.argv[2] ?? 60);
const RESULTS = Number(process.argv[3] ?? 40);
const RUNS = 3;
const TARGET_MS = 10_000;
const TARGET_MB = 512;
const SHA = "9e".repeat(32);

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const doc = sampleEvidenceDocument({ controls: CONTROLS, resultsPerControl: RESULTS });
const dir = mkdtempSync(path.join(tmpdir(), "portwatch-bench-pdf-"));
console.log(`evidence PDF: ${CONTROLS} controls x ${RESULTS} results (${CONTROLS * RESULTS} rows), ${RUNS} runs`);
console.log(`rss before the first render: ${mb(process.memoryUsage().rss)} MB`);

const times = [];
let first = null;
try {
  for (let run = 1; run <= RUNS; run++) {
    const start = performance.now();
    const bytes = await renderEvidencePdf(doc, { contentSha256: SHA });
    const ms = performance.now() - start;
    times.push(ms);
    const file = path.join(dir, `run-${run}.pdf`);
    writeFileSync(file, bytes);
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))?.[1]);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    // Same input, same bytes: a cheap determinism check on the big document too.
    const same = first === null ? "" : bytes.equals(first) ? ", identical to run 1" : ", DIFFERS from run 1";
    first ??= bytes;
    console.log(`run ${run}: ${ms.toFixed(0)} ms, ${mb(bytes.length)} MB, ${pages} pages, peak RSS ${peakMb.toFixed(0)} MB${same}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const sorted = [...times].sort((a, b) => a - b);
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(`min ${sorted[0].toFixed(0)} ms, median ${sorted[1].toFixed(0)} ms, max ${sorted[2].toFixed(0)} ms; peak RSS ${peakMb.toFixed(0)} MB`);
console.log(`target < ${TARGET_MS} ms: ${sorted[2] < TARGET_MS ? "met" : "MISSED"}; target < ${TARGET_MB} MB: ${peakMb < TARGET_MB ? "met" : "MISSED"}`);
