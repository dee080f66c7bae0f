import { contentSha256 } from "@/lib/evidence/content-digest";
import { evidenceCsv } from "@/lib/evidence/csv";
import { evidenceJson } from "@/lib/evidence/json";
import { evidenceOscal } from "@/lib/evidence/oscal";
import { renderEvidencePdf } from "@/lib/evidence/pdf";
import type { SigningKey } from "@/lib/evidence/signing-key";
import type { EvidenceDocument, EvidenceFormat, EvidenceScope } from "@/lib/evidence/types";
import { getEvidenceDocument } from "@/lib/db/evidence-document";
import { completeExport, failExport, getExport, updateExportProgress } from "@/lib/db/evidence-exports";

/**
 * One evidence export, start to finish: read the document for the export's framework, scope and
 * run, write it in its format, then seal it (file, manifest, signature, place in the chain) in one
 * transaction. Run by a worker's job for the Evidence page, and in-process by `portwatch export`.
 * Safe to run again for the same export: nothing is stored until the last step.
 */

const EXTENSIONS: Record<EvidenceFormat, string> = { pdf: "pdf", csv: "csv", json: "json", oscal: "oscal.json" };

export async function writeEvidenceFile(doc: EvidenceDocument, format: EvidenceFormat, digest: string): Promise<Buffer> {
  switch (format) {
    case "pdf":
      return renderEvidencePdf(doc, { contentSha256: digest });
    case "csv":
      return Buffer.from(evidenceCsv(doc), "utf8");
    case "json":
      return Buffer.from(evidenceJson(doc), "utf8");
    case "oscal":
      return Buffer.from(`${JSON.stringify(evidenceOscal(doc), null, 2)}\n`, "utf8");
  }
}

/** "portwatch-aws-fsbp-2026-11-28-run7.pdf" */
export function evidenceFileName(doc: EvidenceDocument, format: EvidenceFormat): string {
  return `portwatch-${doc.framework.id}-${doc.asOf.slice(0, 10)}-run${doc.evaluation.runId}.${EXTENSIONS[format]}`;
}

export async function runEvidenceExport(exportId: string, signingKey: SigningKey): Promise<void> {
  const request = await getExport(exportId);
  if (!request) throw new Error(`evidence export ${exportId} does not exist`);
  if (request.status === "done") return;
  try {
    await updateExportProgress(exportId, 10, "Reading the results");
    const scope: EvidenceScope = { ...request.scope, framework: request.framework };
    const doc = await getEvidenceDocument({ scope, generatedBy: { email: request.createdBy, role: request.createdByRole ?? "" } });
    const format = request.format;
    await updateExportProgress(exportId, 50, `Writing the ${format.toUpperCase()}`);
    const digest = contentSha256(doc);
    const file = await writeEvidenceFile(doc, format, digest);
    await updateExportProgress(exportId, 90, "Signing and chaining");
    await completeExport(exportId, { doc, file, fileName: evidenceFileName(doc, format), contentSha256: digest, signingKey });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    await failExport(exportId, message);
    throw error;
  }
}
