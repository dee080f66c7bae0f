"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import styles from "@/components/compliance/compliance.module.css";
import { actionErrorMessage } from "@/components/ui/action-result";
import { createAttestationAction } from "@/lib/actions/compliance";
import { Field, fieldMessage } from "@/components/ui/field";
import { FormSubmit } from "@/components/ui/form-submit";

/** The action body carries the file as base64 and Next caps a body at 1 MB: 700 KB of file fits. */
const MAX_FILE_BYTES = 700 * 1024;

const LABELS = { text: "Statement", file: "File", expiresAt: "Expires on" } as const;

function kb(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}

/** The file's bytes as base64 (the data URL's payload), read in the browser. */
function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("could not be read"));
    reader.onload = () => {
      const url = String(reader.result ?? "");
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.readAsDataURL(file);
  });
}

interface Props {
  framework: string;
  control: string;
  /** YYYY-MM-DD (UTC): the default (a year ahead), the earliest (tomorrow) and the latest. */
  expiry: { defaultValue: string; min: string; max: string };
}

/** States that the control's human process is in place, optionally with a file, until a date. */
export function AttestationForm({ framework, control, expiry }: Props) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [reading, setReading] = useState(false);
  const { execute, result, isPending } = useAction(createAttestationAction, {
    onSuccess: () => {
      form.current?.reset();
      router.refresh();
    },
  });
  const error = actionErrorMessage(result, LABELS);
  const checkFile = (file: File | undefined): boolean => {
    if (file && file.size > MAX_FILE_BYTES) {
      setFileError(`is too large: ${file.name} is ${kb(file.size)}, and an attachment must be at most 700 KB.`);
      return false;
    }
    setFileError(undefined);
    return true;
  };

  return (
    <form
      ref={form}
      className="form"
      aria-label={`Attest ${control}`}
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const picked = data.get("file");
        const file = picked instanceof File && picked.size > 0 ? picked : undefined;
        if (!checkFile(file)) return;
        let attachment: { name: string; type: string; base64: string } | null = null;
        if (file) {
          setReading(true);
          try {
            attachment = { name: file.name, type: file.type, base64: await readAsBase64(file) };
          } catch (e) {
            setFileError(`could not be read: ${e instanceof Error ? e.message : String(e)}`);
            return;
          } finally {
            setReading(false);
          }
        }
        execute({ framework, control, text: String(data.get("text") ?? ""), expiresAt: String(data.get("expiresAt") ?? ""), file: attachment });
      }}
    >
      <Field label={LABELS.text} error={fieldMessage(result, "text")} hint="What is in place, where it is documented, and who approved it (at least 10 characters).">
        {(props) => <textarea {...props} className={styles.textarea} name="text" rows={4} maxLength={5000} required />}
      </Field>
      <Field label={LABELS.file} error={fileError ?? fieldMessage(result, "file")} hint="Optional: the policy or procedure document, at most 700 KB.">
        {(props) => <input {...props} name="file" type="file" onChange={(event) => checkFile(event.currentTarget.files?.[0])} />}
      </Field>
      <Field label={LABELS.expiresAt} error={fieldMessage(result, "expiresAt")} hint={`The control is MANUAL again after this day (UTC); at most a year ahead (${expiry.max}).`}>
        {(props) => <input {...props} name="expiresAt" type="date" defaultValue={expiry.defaultValue} min={expiry.min} max={expiry.max} required />}
      </Field>
      <FormSubmit label="Attest" pendingLabel="Attesting…" pending={isPending || reading} error={error} done={result.data ? "Attested; the results were re-evaluated." : null} />
    </form>
  );
}
