"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useRef } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import { createExceptionAction } from "@/lib/actions/compliance";
import styles from "@/components/compliance/compliance.module.css";
import { Field, fieldMessage } from "@/components/ui/field";
import { FormSubmit } from "@/components/ui/form-submit";

const LABELS = {
  accountId: "Account",
  region: "Region",
  resourcePattern: "Resource pattern",
  reason: "Reason",
  owner: "Owner",
  expiresAt: "Expires on",
} as const;

interface Props {
  framework: string;
  control: string;
  accounts: { id: string; name: string }[];
  regions: string[];
  /** Prefilled from "Accept this FAIL" (the failing result's resource, account and region). */
  initial: { accountId: string; region: string; resourcePattern: string };
  /** YYYY-MM-DD (UTC): the default (90 days ahead), the earliest (tomorrow) and the latest (a year ahead). */
  expiry: { defaultValue: string; min: string; max: string };
}

/** Accepts FAILs of this control for a scope until a date; framework and control are fixed. */
export function ExceptionForm({ framework, control, accounts, regions, initial, expiry }: Props) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const { execute, result, isPending } = useAction(createExceptionAction, {
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  const error = actionErrorMessage(result, LABELS);
  const accountOptions = initial.accountId && !accounts.some((a) => a.id === initial.accountId) ? [...accounts, { id: initial.accountId, name: initial.accountId }] : accounts;
  const regionOptions = initial.region && !regions.includes(initial.region) ? [...regions, initial.region].sort() : regions;

  return (
    <form
      ref={form}
      className="form"
      aria-label={`Create an exception for ${control}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const text = (key: string) => String(data.get(key) ?? "");
        execute({
          framework,
          control,
          accountId: text("accountId"),
          region: text("region"),
          resourcePattern: text("resourcePattern"),
          reason: text("reason"),
          owner: text("owner"),
          expiresAt: text("expiresAt"),
        });
      }}
    >
      <Field label={LABELS.accountId} error={fieldMessage(result, "accountId")} hint="Empty: every account.">
        {(props) => (
          <select {...props} name="accountId" defaultValue={initial.accountId}>
            <option value="">Any account</option>
            {accountOptions.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name === a.id ? a.id : `${a.name} (${a.id})`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={LABELS.region} error={fieldMessage(result, "region")} hint="Empty: every region.">
        {(props) => (
          <select {...props} name="region" defaultValue={initial.region}>
            <option value="">Any region</option>
            {regionOptions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={LABELS.resourcePattern}
        error={fieldMessage(result, "resourcePattern")}
        hint="A repository name or ARN, or a pattern where * matches any run of characters (* alone: every resource in the scope above)."
      >
        {(props) => <input {...props} name="resourcePattern" defaultValue={initial.resourcePattern} maxLength={512} required autoComplete="off" />}
      </Field>
      <Field label={LABELS.reason} error={fieldMessage(result, "reason")} hint="Why this FAIL is accepted, and what compensates for it (at least 10 characters).">
        {(props) => <textarea {...props} className={styles.textarea} name="reason" rows={3} maxLength={2000} required />}
      </Field>
      <Field label={LABELS.owner} error={fieldMessage(result, "owner")} hint="Who owns the fix (a person or a team).">
        {(props) => <input {...props} name="owner" maxLength={200} required autoComplete="off" />}
      </Field>
      <Field label={LABELS.expiresAt} error={fieldMessage(result, "expiresAt")} hint={`The exception ends at the end of this day (UTC); at most a year ahead (${expiry.max}).`}>
        {(props) => <input {...props} name="expiresAt" type="date" defaultValue={expiry.defaultValue} min={expiry.min} max={expiry.max} required />}
      </Field>
      <FormSubmit
        label="Create exception"
        pendingLabel="Creating…"
        pending={isPending}
        error={error}
        done={result.data ? `Exception created; the results were re-evaluated${result.data.evaluationId !== null ? ` (evaluation #${result.data.evaluationId})` : ""}.` : null}
      />
    </form>
  );
}
