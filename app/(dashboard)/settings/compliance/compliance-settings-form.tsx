"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import styles from "@/components/compliance/compliance.module.css";
import { actionErrorMessage } from "@/components/ui/action-result";
import { VULNERABILITY_THRESHOLDS } from "@/lib/accounts/config-schema";
import { updateComplianceSettingsAction } from "@/lib/actions/compliance";
import { updateComplianceSettingsSchema } from "@/lib/actions/compliance.schema";
import { FIELD_GROUPS, type FieldKey, type FieldSpec, type FormValues, TOP_KEYS } from "./fields";

const LABELS = Object.fromEntries(FIELD_GROUPS.flatMap((g) => g.fields.map((f) => [f.key, f.label]))) as Record<FieldKey, string>;
const SPECS = FIELD_GROUPS.flatMap((g) => g.fields);

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The form's text as the action's input, with the fields that are not numbers at all named. */
function readInput(data: FormData): { input: Record<string, unknown>; errors: Partial<Record<FieldKey, string>> } {
  const errors: Partial<Record<FieldKey, string>> = {};
  const values: Partial<Record<FieldKey, unknown>> = {};
  for (const spec of SPECS) {
    const raw = data.get(spec.key);
    if (spec.kind === "boolean") values[spec.key] = raw === "on";
    else if (spec.kind === "list") values[spec.key] = splitList(String(raw ?? ""));
    else if (spec.kind === "int" || spec.kind === "number") {
      const text = String(raw ?? "").trim();
      const n = Number(text);
      if (text === "" || !Number.isFinite(n)) errors[spec.key] = "must be a number";
      else if (spec.kind === "int" && !Number.isInteger(n)) errors[spec.key] = "must be a whole number";
      values[spec.key] = n;
    } else values[spec.key] = String(raw ?? "").trim();
  }
  const thresholds = Object.fromEntries(Object.entries(values).filter(([key]) => !(TOP_KEYS as readonly string[]).includes(key)));
  return {
    input: { thresholds, vulnerabilityThreshold: values.vulnerabilityThreshold, trustedAccounts: values.trustedAccounts, resultRetentionRuns: values.resultRetentionRuns },
    errors,
  };
}

/** The same schema the action validates with, run in the browser first so each field shows its message before a round trip. */
function validate(input: Record<string, unknown>): Partial<Record<FieldKey, string>> {
  const parsed = updateComplianceSettingsSchema.safeParse(input);
  if (parsed.success) return {};
  const errors: Partial<Record<FieldKey, string>> = {};
  for (const issue of parsed.error.issues) {
    const [first, second, third] = issue.path;
    const key = (first === "thresholds" ? second : first) as FieldKey | undefined;
    if (!key || errors[key]) continue;
    const index = first === "thresholds" ? third : second;
    errors[key] = typeof index === "number" ? `entry ${index + 1}: ${issue.message}` : issue.message;
  }
  return errors;
}

function FieldInput({ spec, value, error, defaultHelp }: { spec: FieldSpec; value: string | boolean; error?: string; defaultHelp: string }) {
  const id = useId();
  const describedBy = `${id}-hint${error ? ` ${id}-error` : ""}`;
  const common = { id, name: spec.key, "aria-invalid": Boolean(error), "aria-describedby": describedBy };
  const hint = (
    <small id={`${id}-hint`}>
      {spec.help} {defaultHelp}
    </small>
  );
  const message = error ? (
    <small id={`${id}-error`} className="field-error">
      {spec.label} {error}
    </small>
  ) : null;
  if (spec.kind === "boolean") {
    return (
      <div>
        <label htmlFor={id} style={{ display: "flex", gap: "0.5rem", alignItems: "center" }}>
          <input {...common} type="checkbox" defaultChecked={Boolean(value)} />
          {spec.label}
        </label>
        {hint}
        {message}
      </div>
    );
  }
  let control: React.ReactNode;
  if (spec.kind === "threshold") {
    control = (
      <select {...common} defaultValue={String(value)}>
        {VULNERABILITY_THRESHOLDS.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === "list" && spec.separator === "lines") {
    control = <textarea {...common} className={styles.textarea} rows={3} defaultValue={String(value)} spellCheck={false} />;
  } else if (spec.kind === "list") {
    control = <textarea {...common} className={styles.textarea} rows={2} defaultValue={String(value)} spellCheck={false} />;
  } else if (spec.kind === "int" || spec.kind === "number") {
    control = <input {...common} type="number" inputMode="decimal" step={spec.step} defaultValue={String(value)} required />;
  } else {
    control = <input {...common} defaultValue={String(value)} maxLength={128} required autoComplete="off" />;
  }
  return (
    // Hint and error outside the <label>: the field's accessible name is its label alone.
    <div style={{ display: "grid", gap: "0.25rem" }}>
      <label htmlFor={id}>{spec.label}</label>
      {control}
      {hint}
      {message}
    </div>
  );
}

export function ComplianceSettingsForm({ initial, defaults }: { initial: FormValues; defaults: Record<FieldKey, string> }) {
  const router = useRouter();
  const [clientErrors, setClientErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const { execute, result, isPending, reset } = useAction(updateComplianceSettingsAction, { onSuccess: () => router.refresh() });
  // The action names nested fields by their dotted path (thresholds.maxImageGiB, trustedAccounts.0).
  const serverFieldErrors = result.validationErrors?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const serverErrorFor = (key: FieldKey) => {
    for (const [path, messages] of Object.entries(serverFieldErrors ?? {})) {
      const parts = path.split(".");
      if ((parts[0] === "thresholds" ? parts[1] : parts[0]) === key && messages?.length) return messages[0];
    }
    return undefined;
  };
  const error = actionErrorMessage(result, Object.fromEntries(Object.entries(serverFieldErrors ?? {}).map(([path]) => [path, LABELS[(path.startsWith("thresholds.") ? path.split(".")[1] : path.split(".")[0]) as FieldKey] ?? path])));
  const errorFor = (key: FieldKey) => clientErrors[key] ?? serverErrorFor(key);
  const invalidCount = Object.keys(clientErrors).length;

  return (
    <form
      className="form"
      style={{ maxWidth: "640px" }}
      aria-label="Compliance settings"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        reset();
        const { input, errors } = readInput(new FormData(event.currentTarget));
        const all = { ...validate(input), ...errors };
        setClientErrors(all);
        if (Object.keys(all).length === 0) execute(input as Parameters<typeof execute>[0]);
      }}
    >
      {FIELD_GROUPS.map((group) => (
        <fieldset key={group.title} className="card" style={{ display: "grid", gap: "0.75rem", margin: 0 }}>
          <legend>
            <strong>{group.title}</strong>
          </legend>
          {group.fields.map((spec) => (
            <FieldInput key={spec.key} spec={spec} value={initial[spec.key]} error={errorFor(spec.key)} defaultHelp={defaults[spec.key]} />
          ))}
        </fieldset>
      ))}
      <div className="row-controls">
        <button type="submit" className="button" disabled={isPending}>
          {isPending ? "Saving and re-evaluating…" : "Save and re-evaluate"}
        </button>
      </div>
      {invalidCount ? (
        <p className="form-error" role="status">
          {invalidCount === 1 ? "One field is" : `${invalidCount} fields are`} not valid:{" "}
          {Object.entries(clientErrors)
            .map(([key, message]) => `${LABELS[key as FieldKey]} ${message}`)
            .join("; ")}
          .
        </p>
      ) : error ? (
        <p className="form-error" role="status">
          {error}
        </p>
      ) : null}
      {result.data ? (
        <p className="form-ok" role="status">
          {result.data.changed.length ? `Saved ${result.data.changed.join(", ")}; the latest run was re-evaluated.` : "Nothing changed."}
        </p>
      ) : null}
    </form>
  );
}
