"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { actionErrorMessage } from "@/components/ui/action-result";
import { Field, fieldMessage } from "@/components/ui/field";
import { createEvidenceExportAction } from "@/lib/actions/evidence";
import { EVIDENCE_FORMATS } from "@/lib/evidence/types";
import { FormSubmit } from "@/components/ui/form-submit";

const LABELS = { framework: "Framework", format: "Format", accounts: "Accounts", regions: "Regions", runId: "As of run" } as const;
const FORMAT_LABELS: Record<(typeof EVIDENCE_FORMATS)[number], string> = { pdf: "PDF report", csv: "CSV (one row per result)", json: "JSON", oscal: "OSCAL Assessment Results (JSON)" };

interface Props {
  frameworks: { id: string; name: string }[];
  runs: { runId: number; label: string }[];
}

/** Queues an export; a worker makes it and the list below shows its progress. */
export function ExportForm({ frameworks, runs }: Props) {
  const router = useRouter();
  const { execute, result, isPending } = useAction(createEvidenceExportAction, { onSuccess: () => router.refresh() });
  const error = actionErrorMessage(result, LABELS);
  return (
    <form
      className="form"
      aria-label="Create an evidence export"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const text = (key: string) => String(data.get(key) ?? "");
        execute({ framework: text("framework"), format: text("format") as (typeof EVIDENCE_FORMATS)[number], accounts: text("accounts"), regions: text("regions"), runId: text("runId") });
      }}
    >
      <Field label={LABELS.framework} error={fieldMessage(result, "framework")}>
        {(props) => (
          <select {...props} name="framework" defaultValue={frameworks[0]?.id}>
            {frameworks.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={LABELS.format} error={fieldMessage(result, "format")}>
        {(props) => (
          <select {...props} name="format" defaultValue="pdf">
            {EVIDENCE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={LABELS.accounts} error={fieldMessage(result, "accounts")} hint="12-digit account ids separated by commas or spaces. Empty: every account.">
        {(props) => <input {...props} name="accounts" autoComplete="off" maxLength={2000} />}
      </Field>
      <Field label={LABELS.regions} error={fieldMessage(result, "regions")} hint="For example us-east-1, eu-west-1. Empty: every region.">
        {(props) => <input {...props} name="regions" autoComplete="off" maxLength={2000} />}
      </Field>
      <Field label={LABELS.runId} error={fieldMessage(result, "runId")} hint="The collection whose evaluated results the export holds.">
        {(props) => (
          <select {...props} name="runId" defaultValue="">
            <option value="">The latest evaluated run</option>
            {runs.map((r) => (
              <option key={r.runId} value={String(r.runId)}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormSubmit label="Create export" pendingLabel="Queuing…" pending={isPending} error={error} done={result.data ? "Export queued: a worker is making it; its progress is in the list below." : null} />
    </form>
  );
}
