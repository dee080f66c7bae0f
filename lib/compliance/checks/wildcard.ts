/**
 * ECR's filter semantics, shared by the scanning checks and the environment name patterns.
 *
 * Compiled patterns are cached: the evaluator matches the same handful of filters against every
 * repository of every registry, and building a RegExp per match would dominate its time.
 */

// The filters come from a few registries' rules and the settings, so the cache stays small; the
// bound only guards against a caller feeding arbitrary strings.
const MAX_CACHED = 1_000;
const anchored = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let regex = anchored.get(pattern);
  if (!regex) {
    if (anchored.size >= MAX_CACHED) anchored.clear();
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    // `s`: a name never holds a newline, but a tag or a hostile filter might; `*` still spans it.
    regex = new RegExp(`^${body}$`, "s");
    anchored.set(pattern, regex);
  }
  return regex;
}

/**
 * AWS's WILDCARD repository filter (registry scanning rules, ECR's documented behaviour): `*`
 * matches any run of characters and the pattern is anchored; a filter without `*` matches any
 * name that contains it (so `api` matches `team/orders-api`, and `prod*` does not match `dev-x`).
 */
export function matchesWildcard(name: string, filter: string): boolean {
  if (!filter.includes("*")) return name.includes(filter);
  return compile(filter).test(name);
}

/**
 * A lifecycle policy's `tagPatternList` entry: `*` matches any run of characters and the whole
 * tag must match, so a pattern without `*` matches only that exact tag (unlike the scanning
 * filters above).
 */
export function matchesTagPattern(tag: string, pattern: string): boolean {
  if (!pattern.includes("*")) return tag === pattern;
  return compile(pattern).test(tag);
}
