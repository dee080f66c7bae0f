/**
 * Reading a list page's URL: filters, sort and keyset cursors. A parameter that is present but not
 * understood is dropped and named in `ignored`, so the page can say so instead of failing.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a parameter, trimmed; undefined when absent or blank. */
export const firstParam = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

export function paramReader(params: SearchParams) {
  const ignored: string[] = [];
  /** The parameter parsed; undefined (and named in `ignored` when present) if `parse` refuses it. */
  const pick = <T>(name: string, parse: (value: string) => T | undefined): T | undefined => {
    const raw = firstParam(params[name]);
    if (raw === undefined) return undefined;
    const value = parse(raw);
    if (value === undefined) ignored.push(name);
    return value;
  };
  /** The page's keyset cursor: `after`, else `before`; one that does not decode is ignored. */
  const cursor = <C>(decode: (value: string) => C | null): { after?: C; before?: C } => {
    for (const side of ["after", "before"] as const) {
      const raw = firstParam(params[side]);
      if (raw === undefined) continue;
      const decoded = decode(raw);
      if (decoded) return { [side]: decoded };
      ignored.push(side);
      return {};
    }
    return {};
  };
  return { pick, cursor, ignored };
}

/** "?account=…&after=…": the parameters that are set (undefined and "" left out) and the page's cursor; "" when none is. */
export function queryString(values: Record<string, string | undefined>, page: { after?: string; before?: string } = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== "") query.set(name, value);
  if (page.after) query.set("after", page.after);
  else if (page.before) query.set("before", page.before);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/**
 * For a CSV or JSON route, which answers a script rather than a person: an unknown or repeated
 * parameter is refused (a repeated one is ambiguous), never dropped or picked from silently.
 * The sentence to answer 400 with, or null when every parameter is known and given once.
 */
export function queryProblem(search: URLSearchParams, allowed: readonly string[]): string | null {
  const unknown = [...new Set(search.keys())].filter((key) => !allowed.includes(key));
  if (unknown.length) return `Unknown parameter${unknown.length > 1 ? "s" : ""}: ${unknown.map((key) => key.slice(0, 40)).join(", ")} (allowed: ${allowed.join(", ")})`;
  const repeated = allowed.filter((key) => search.getAll(key).length > 1);
  if (repeated.length) return `Parameter${repeated.length > 1 ? "s" : ""} given more than once: ${repeated.join(", ")}`;
  return null;
}
