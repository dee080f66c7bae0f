"use client";

import { useAction } from "next-safe-action/hooks";
import { useId, useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-result";
import { updateCollectScheduleAction } from "@/lib/actions/accounts";

const formatRun = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

export function CollectScheduleForm({ initial, initialRuns, help }: { initial: string; initialRuns: string[]; help: string }) {
  const id = useId();
  const [value, setValue] = useState(initial);
  const { execute, result, isPending } = useAction(updateCollectScheduleAction);
  const error = actionErrorMessage(result, { collectSchedule: "Collection schedule" });
  // The next runs are computed on the server (cron-parser stays out of the browser bundle), for
  // the saved schedule; saving re-renders the page with the new ones.
  const edited = value.trim().split(/\s+/).join(" ") !== initial;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        execute({ collectSchedule: value });
      }}
    >
      <label htmlFor={id}>
        Collection schedule
        <input
          id={id}
          name="collectSchedule"
          className="mono"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          maxLength={200}
          required
          aria-describedby={`${id}-help ${id}-next`}
        />
        <small id={`${id}-help`}>{help} Example: 0 */6 * * * (every 6 hours, on the hour).</small>
      </label>
      <div id={`${id}-next`} aria-live="polite">
        {edited ? (
          <p className="muted small">Save to see when the new schedule runs.</p>
        ) : (
          <>
            <span className="small">Next runs:</span>
            <ul className="link-list small" data-testid="next-runs">
              {initialRuns.map((run) => (
                <li key={run}>{formatRun(run)}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <button type="submit" className="button" disabled={isPending}>
        Save schedule
      </button>
      {error ? (
        <p className="form-error" role="status">
          {error}
        </p>
      ) : null}
      {result.data ? (
        <p className="form-ok" role="status">
          {result.data.changed.length ? "Saved the collection schedule." : "Nothing changed."}
        </p>
      ) : null}
    </form>
  );
}
