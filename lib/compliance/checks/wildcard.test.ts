import { describe, expect, it } from "vitest";
import { matchesTagPattern, matchesWildcard } from "./wildcard";

describe("matchesWildcard", () => {
  it.each([
    // Steampipe ignored filters and let `prod*` pass `dev-x`: the pattern is anchored.
    ["dev-x", "prod*", false],
    ["prod-orders", "prod*", true],
    ["team/prod-orders", "prod*", false],
    // Without `*`, a filter matches any name that contains it.
    ["team/orders-api", "api", true],
    ["api", "api", true],
    ["team/orders", "api", false],
    ["team/orders-api", "*api*", true],
    ["team/orders-api", "*api", true],
    ["team/api-gateway", "*api", false],
    ["x", "*", true],
    ["", "*", true],
    ["a/b/c", "a*c", true],
    ["a/b/cd", "a*c", false],
    // Regex metacharacters in a filter are literal.
    ["teamXapi", "team.api*", false],
    ["team.api-1", "team.api*", true],
    ["a+b", "a+b*", true],
    ["aab", "a+b*", false],
    ["x(1)", "*(1)", true],
    ["x[ab]", "*[ab]", true],
    ["xa", "*[ab]", false],
    ["price$", "*$", true],
    ["a|b", "a|b", true],
    ["a", "a|*", false],
  ])("%s against %s is %s", (name, filter, expected) => {
    expect(matchesWildcard(name, filter)).toBe(expected);
  });

  it("answers the same on a cached pattern", () => {
    expect(matchesWildcard("prod-a", "prod*")).toBe(true);
    expect(matchesWildcard("dev-a", "prod*")).toBe(false);
    expect(matchesWildcard("prod-b", "prod*")).toBe(true);
  });
});

describe("matchesTagPattern", () => {
  it.each([
    ["release-1", "release-*", true],
    ["prerelease-1", "release-*", false],
    // A lifecycle tag pattern without `*` is the whole tag, not a substring.
    ["latest", "latest", true],
    ["latest-2", "latest", false],
    ["1.2.3", "*", true],
    ["v1.2", "v1.*", true],
    ["v102", "v1.*", false],
  ])("%s against %s is %s", (tag, pattern, expected) => {
    expect(matchesTagPattern(tag, pattern)).toBe(expected);
  });
});
