/**
 * A form's submit button, with the action's outcome under it: the error in red, or what was done.
 * Both are status messages, announced when they appear.
 */
export function FormSubmit({ label, pendingLabel, pending, error, done }: { label: string; pendingLabel: string; pending: boolean; error?: React.ReactNode; done?: React.ReactNode }) {
  return (
    <>
      <div className="row-controls">
        <button type="submit" className="button" disabled={pending}>
          {pending ? pendingLabel : label}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="status">
          {error}
        </p>
      ) : done ? (
        <p className="form-ok" role="status">
          {done}
        </p>
      ) : null}
    </>
  );
}
