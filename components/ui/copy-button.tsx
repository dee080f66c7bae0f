"use client";

import { useState } from "react";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="row-controls">
      <button
        type="button"
        className="button secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setState("copied");
          } catch {
            // Clipboard access needs a secure context (https or localhost).
            setState("failed");
          }
        }}
      >
        {label}
      </button>
      <span role="status" className={state === "failed" ? "form-error" : "form-ok"}>
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy: select the text and copy it." : ""}
      </span>
    </span>
  );
}
