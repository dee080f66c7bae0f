"use client";

import Link from "next/link";
import { useAction } from "next-safe-action/hooks";
import { actionErrorMessage } from "@/components/ui/action-result";
import { collectNowAction } from "@/lib/actions/collection";

/** Queues a manual collection of every enabled account and region (admin and security only). */
export function CollectNowButton() {
  const { execute, result, isPending } = useAction(collectNowAction);
  const error = actionErrorMessage(result);
  return (
    <div className="row-controls">
      <button type="button" className="button" disabled={isPending} onClick={() => execute({})}>
        {isPending ? "Queueing…" : "Collect now"}
      </button>
      {error ? (
        <span className="form-error" role="status">
          {error}
        </span>
      ) : null}
      {result.data ? (
        <span className="form-ok" role="status">
          Run #{result.data.runId} queued. <Link href={`/runs/${result.data.runId}`}>Follow its progress</Link>
        </span>
      ) : null}
    </div>
  );
}
