import Link from "next/link";

/** An option: its value, or [value, label] when the label differs. */
export type FilterOption = string | readonly [value: string, label: string];

/** One select of a GET filter form: "All" (empty) or one of `options`. */
export function FilterSelect({ label, name, value, options, anyLabel = "All" }: { label: string; name: string; value: string | null | undefined; options: readonly FilterOption[]; anyLabel?: string }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {options.map((option) => {
          const [optionValue, optionLabel] = typeof option === "string" ? [option, option] : option;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </label>
  );
}

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
