"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { actionErrorMessage } from "@/components/ui/action-result";
import { revokeAttestationAction, revokeExceptionAction } from "@/lib/actions/compliance";

/** Revokes an exception or an attestation (the row is kept, marked revoked, and audited). */
export function RevokeButton({ kind, id, label }: { kind: "exception" | "attestation"; id: string; label: string }) {
  const router = useRouter();
  const options = { onSuccess: () => router.refresh() };
  const exception = useAction(revokeExceptionAction, options);
  const attestation = useAction(revokeAttestationAction, options);
  const { execute, result, isPending } = kind === "exception" ? exception : attestation;
  const error = actionErrorMessage(result);
  return (
    <span className="row-controls">
      <button type="button" className="button secondary" disabled={isPending} onClick={() => execute({ id })}>
        {isPending ? "Revoking…" : "Revoke"}
        <span className="sr-only"> {label}</span>
      </button>
      {error ? (
        <span className="form-error small" role="status">
          {error}
        </span>
      ) : null}
    </span>
  );
}
