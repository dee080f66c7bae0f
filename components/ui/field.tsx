"use client";

import { useId } from "react";

export interface ActionResultLike {
  serverError?: { message: string };
  validationErrors?: { formErrors?: string[]; fieldErrors?: Partial<Record<string, string[] | undefined>> };
}

interface FieldProps {
  label: string;
  /** The message shown under the field: the action's (or the browser's) first problem with it. */
  error?: string;
  hint?: React.ReactNode;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode;
}

/** A labelled form field with its hint and its error, both tied to the input for screen readers. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    // The hint and the error sit outside the <label>, so the field's accessible name is its label alone.
    <div style={{ display: "grid", gap: "0.25rem" }}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {label} {error}
        </small>
      ) : null}
    </div>
  );
}

/** The first message the action gave for a field. */
export function fieldMessage(result: ActionResultLike, field: string): string | undefined {
  return result.validationErrors?.fieldErrors?.[field]?.[0];
}
