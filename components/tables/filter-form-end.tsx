import Link from "next/link";

/** The end of a GET filter form: Apply, and Clear when a filter is set. */
export function FilterActions({ filtered, clearHref }: { filtered: boolean; clearHref: string }) {
  return (
    <div className="row-controls">
      <button type="submit" className="button">
        Apply
      </button>
      {filtered ? (
        <Link className="button secondary" href={clearHref}>
          Clear
        </Link>
      ) : null}
    </div>
  );
}

/** Says which URL parameters were not valid and were ignored (never a silent reset). */
export function IgnoredParameters({ ignored }: { ignored: readonly string[] }) {
  if (!ignored.length) return null;
  return (
    <p className="form-error" role="status">
      Ignored {ignored.length === 1 ? "a parameter that is" : "parameters that are"} not valid: {ignored.join(", ")}.
    </p>
  );
}
