"use client";

import { useState } from "react";

interface Verdict {
  ok: boolean;
  intact?: boolean;
  signedByThisInstallation?: boolean;
  exportId?: string;
  chain?: { position: number | null; length: number; ok: boolean; problems: string[] };
  problems?: string[];
  /** Facts that do not fail the check, such as a key retired after it signed this export. */
  notes?: string[];
  error?: string;
}

/** Checks a downloaded export (and its manifest, when given) against this installation's records. */
export function VerifyForm() {
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="form"
      aria-label="Verify an export"
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        setVerdict(null);
        try {
          const response = await fetch("/api/evidence/verify", { method: "POST", body: new FormData(event.currentTarget) });
          setVerdict((await response.json()) as Verdict);
        } catch {
          setVerdict({ ok: false, error: "The file could not be sent: check the connection and try again." });
        } finally {
          setPending(false);
        }
      }}
    >
      <label>
        Export file
        <input type="file" name="file" required />
      </label>
      <label>
        Its manifest (optional: otherwise found by the file&apos;s SHA-256)
        <input type="file" name="manifest" accept="application/json,.json" />
      </label>
      <div className="row-controls">
        <button type="submit" className="button" disabled={pending}>
          {pending ? "Checking…" : "Verify"}
        </button>
      </div>
      {verdict ? (
        <div role="status" data-testid="verify-verdict">
          {verdict.error ? (
            <p className="form-error">{verdict.error}</p>
          ) : (
            <>
              <p className={verdict.ok ? "form-ok" : "form-error"}>
                <strong>{verdict.ok ? "✓ Verified" : "✗ Not verified"}</strong>
                {verdict.exportId ? ` (export ${verdict.exportId})` : ""}
              </p>
              <ul className="link-list">
                <li>{verdict.intact ? "✓ The file is intact: its SHA-256 and size match the manifest." : "✗ The file does not match its manifest."}</li>
                <li>{verdict.signedByThisInstallation ? "✓ The manifest is signed by this installation's key." : "✗ The manifest is not signed by this installation."}</li>
                {verdict.chain ? (
                  <li>
                    {verdict.chain.ok ? "✓" : "✗"} Chain: {verdict.chain.position !== null ? `export ${verdict.chain.position} of ${verdict.chain.length}` : `not in the chain of ${verdict.chain.length} exports`}
                    {verdict.chain.ok ? ", every earlier export present and linked." : "."}
                  </li>
                ) : null}
                {(verdict.notes ?? []).map((n) => (
                  <li key={n}>· {n}</li>
                ))}
                {(verdict.problems ?? []).map((p) => (
                  <li key={p} className="text-danger">
                    {p}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
    </form>
  );
}
