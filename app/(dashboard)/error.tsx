"use client";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card" role="status">
      <h2>This page could not be shown</h2>
      <p>
        Something went wrong on the server{error.digest ? ` (reference ${error.digest})` : ""}. The server log has
        the details.
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
