"use client";

import { useAction } from "next-safe-action/hooks";
import { useId, useRef } from "react";
import { createAwsAccountAction, updateAwsAccountAction } from "@/lib/actions/accounts";

const LABELS = {
  accountId: "Account id",
  name: "Name",
  environment: "Environment",
  roleArn: "Role ARN",
  regions: "Regions",
} as const;
type Field = keyof typeof LABELS;

const ENVIRONMENTS = ["prod", "staging", "dev", "shared", "unknown"];

interface ActionResultLike {
  serverError?: { message: string };
  validationErrors?: { formErrors?: string[]; fieldErrors?: Partial<Record<string, string[] | undefined>> };
}

/** "Account id must be exactly 12 digits": the field's label and its first problem. */
function fieldError(result: ActionResultLike, field: Field): string | undefined {
  const message = result.validationErrors?.fieldErrors?.[field]?.[0];
  return message ? `${LABELS[field]} ${message}` : undefined;
}

function formError(result: ActionResultLike): string | undefined {
  return result.serverError?.message ?? result.validationErrors?.formErrors?.[0];
}

interface FieldProps {
  field: Field;
  result: ActionResultLike;
  hint?: string;
  children: (props: { id: string; name: Field; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode;
}

function LabelledField({ field, result, hint, children }: FieldProps) {
  const id = useId();
  const error = fieldError(result, field);
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <label htmlFor={id}>
      {LABELS[field]}
      {children({ id, name: field, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {error ? (
        <small id={`${id}-error`} className="field-error">
          {error}
        </small>
      ) : null}
    </label>
  );
}

function readForm(form: HTMLFormElement) {
  const data = new FormData(form);
  const text = (key: string) => String(data.get(key) ?? "");
  return { name: text("name"), environment: text("environment"), roleArn: text("roleArn"), regions: text("regions") };
}

export interface EditableAccount {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  regions: string[];
}

/** Add an account (no `account`) or edit one. */
export function AccountForm({ account, defaultRegions, onDone }: { account?: EditableAccount; defaultRegions: string[]; onDone?: () => void }) {
  const form = useRef<HTMLFormElement>(null);
  const create = useAction(createAwsAccountAction, { onSuccess: () => form.current?.reset() });
  const update = useAction(updateAwsAccountAction, { onSuccess: () => onDone?.() });
  const { result, isPending } = account ? update : create;
  const datalist = useId();
  const topError = formError(result);
  return (
    <form
      ref={form}
      className="form inline"
      aria-label={account ? `Edit account ${account.id}` : "Add an AWS account"}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const fields = readForm(event.currentTarget);
        if (account) update.execute({ accountId: account.id, ...fields });
        else create.execute({ accountId: String(new FormData(event.currentTarget).get("accountId") ?? ""), ...fields });
      }}
    >
      {account ? null : (
        <LabelledField field="accountId" result={result}>
          {(props) => <input {...props} inputMode="numeric" autoComplete="off" maxLength={12} placeholder="111111111111" required />}
        </LabelledField>
      )}
      <LabelledField field="name" result={result}>
        {(props) => <input {...props} defaultValue={account?.name} maxLength={80} required />}
      </LabelledField>
      <LabelledField field="environment" result={result}>
        {(props) => <input {...props} list={datalist} defaultValue={account?.environment ?? "prod"} maxLength={20} required />}
      </LabelledField>
      <datalist id={datalist}>
        {ENVIRONMENTS.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <LabelledField field="roleArn" result={result}>
        {(props) => (
          <input {...props} defaultValue={account?.roleArn} placeholder="arn:aws:iam::111111111111:role/PortwatchReadOnly" required />
        )}
      </LabelledField>
      <LabelledField field="regions" result={result} hint={`Comma-separated; empty uses the default regions (${defaultRegions.join(", ")}).`}>
        {(props) => <input {...props} defaultValue={account?.regions.join(", ")} placeholder="us-east-1, eu-west-1" />}
      </LabelledField>
      <div className="row-controls">
        <button type="submit" className="button" disabled={isPending}>
          {account ? "Save" : "Add account"}
        </button>
        {account && onDone ? (
          <button type="button" className="button secondary" onClick={onDone} disabled={isPending}>
            Cancel
          </button>
        ) : null}
      </div>
      {topError ? (
        <p className="form-error" role="status">
          {topError}
        </p>
      ) : null}
      {!account && create.result.data ? (
        <p className="form-ok" role="status">
          Added {create.result.data.name} ({create.result.data.accountId}). Test its connection in the list.
        </p>
      ) : null}
    </form>
  );
}
