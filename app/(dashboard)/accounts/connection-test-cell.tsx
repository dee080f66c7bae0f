"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { actionErrorMessage } from "@/components/ui/action-result";
import type { ConnectionTestState } from "@/lib/accounts/connection-test-state";
import { testConnectionAction } from "@/lib/actions/accounts";
import { accountQueryKeys } from "./query-keys";

const POLL_MS = 1_000;

async function fetchConnectionTest(accountId: string): Promise<{ lastTest: ConnectionTestState | null }> {
  const response = await fetch(`/api/accounts/${accountId}/connection-test`, { cache: "no-store" });
  const body = (await response.json().catch(() => ({}))) as { lastTest?: ConnectionTestState | null; error?: string };
  if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}`);
  return { lastTest: body.lastTest ?? null };
}

const formatTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function FailureText({ failure }: { failure: { errorName: string; message: string; service: string; operation: string } }) {
  return (
    <>
      <strong>{failure.errorName}</strong>: {failure.message} <span className="muted">({failure.service}:{failure.operation})</span>
    </>
  );
}

function TestResult({ state }: { state: ConnectionTestState }) {
  if (state.status === "running") return <span>Testing since {formatTime(state.startedAt)}…</span>;
  if (state.status === "error") {
    return (
      <span className="form-error">
        {state.message} <span className="muted">({formatTime(state.finishedAt)})</span>
      </span>
    );
  }
  return (
    <div>
      <span className={`badge ${state.ok ? "ok" : "danger"}`}>{state.ok ? "connected" : "failed"}</span>{" "}
      <span className="muted small">
        {formatTime(state.finishedAt)} by {state.requestedBy}
      </span>
      <ul className="test-results">
        <li>
          AssumeRole:{" "}
          {state.assumeRole.ok ? (
            <>
              ok <span className="mono small">{state.assumeRole.identityArn}</span>
            </>
          ) : (
            <span className="form-error">
              <FailureText failure={state.assumeRole.failure} />
            </span>
          )}
        </li>
        {state.regionResults.map((r) => (
          <li key={r.region}>
            <span className="mono">{r.region}</span>:{" "}
            {r.ok ? (
              <>
                ok <span className="muted">({r.operation})</span>
              </>
            ) : r.failure ? (
              <span className="form-error">
                <FailureText failure={r.failure} />
              </span>
            ) : (
              <span className="form-error">failed ({r.operation})</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ConnectionTestCell({ accountId, initial, canTest }: { accountId: string; initial: ConnectionTestState | null; canTest: boolean }) {
  const queryClient = useQueryClient();
  const key = accountQueryKeys.connectionTest(accountId);
  const query = useQuery({
    queryKey: key,
    queryFn: () => fetchConnectionTest(accountId),
    initialData: { lastTest: initial },
    // The page rendered the stored state; ask again only while a test runs.
    refetchOnMount: false,
    refetchInterval: (q) => (q.state.data?.lastTest?.status === "running" ? POLL_MS : false),
  });
  const test = useAction(testConnectionAction, {
    onSuccess: ({ data }) => {
      // Shown as running at once; the fetch brings the stored state and polling starts.
      if (data) {
        const running: ConnectionTestState = { status: "running", startedAt: data.startedAt, requestedBy: "you", roleArn: "", regions: [] };
        queryClient.setQueryData(key, { lastTest: running });
      }
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const state = query.data?.lastTest ?? null;
  const running = state?.status === "running" || test.isPending;
  const error = actionErrorMessage(test.result);
  return (
    <div className="connection-test" aria-live="polite">
      {state ? <TestResult state={state} /> : <span className="muted">Not tested yet</span>}
      {query.error ? <p className="form-error">Could not read the test result: {query.error.message}</p> : null}
      {error ? <p className="form-error">{error}</p> : null}
      {canTest ? (
        <button type="button" className="button secondary" disabled={running} onClick={() => test.execute({ accountId })}>
          {running ? "Testing…" : "Test connection"}
        </button>
      ) : null}
    </div>
  );
}
