import { describe, expect, it } from "vitest";
import { firstParam, paramReader, queryProblem, queryString } from "./url-params";

const decode = (v: string) => (/^c\d+$/.test(v) ? { at: Number(v.slice(1)) } : null);
const account = (v: string) => (/^\d{12}$/.test(v) ? v : undefined);

describe("paramReader", () => {
  it("reads a valid parameter, drops a bad one and names it", () => {
    const { pick, ignored } = paramReader({ account: "123456789012", region: "nowhere" });
    expect(pick("account", account)).toBe("123456789012");
    expect(pick("region", () => undefined)).toBeUndefined();
    expect(pick("absent", account)).toBeUndefined();
    expect(ignored).toEqual(["region"]);
  });

  it("takes the first of repeated values, trimmed, and treats blank as absent", () => {
    expect(firstParam(["  a ", "b"])).toBe("a");
    expect(firstParam("   ")).toBeUndefined();
    const { pick, ignored } = paramReader({ account: "   " });
    expect(pick("account", account)).toBeUndefined();
    expect(ignored).toEqual([]);
  });

  it.each([
    [{ after: "c5" }, { after: { at: 5 } }, []],
    [{ before: "c7" }, { before: { at: 7 } }, []],
    [{ after: "c5", before: "c7" }, { after: { at: 5 } }, []],
    // A tampered `after` is dropped and named; `before` is not read in its place.
    [{ after: "junk", before: "c7" }, {}, ["after"]],
    [{ before: "junk" }, {}, ["before"]],
    [{}, {}, []],
  ])("cursor %j", (params, expected, ignoredNames) => {
    const { cursor, ignored } = paramReader(params);
    expect(cursor(decode)).toEqual(expected);
    expect(ignored).toEqual(ignoredNames);
  });
});

describe("queryString", () => {
  it("keeps the set parameters and one cursor, encoded", () => {
    expect(queryString({ account: "123456789012", region: undefined, name: "", q: "a b&c" }, { after: "xyz", before: "ignored" })).toBe("?account=123456789012&q=a+b%26c&after=xyz");
    expect(queryString({ region: undefined })).toBe("");
    expect(queryString({}, { before: "c1" })).toBe("?before=c1");
  });
});

describe("queryProblem", () => {
  it("names unknown parameters, then repeated ones, and passes a query that is known and single", () => {
    expect(queryProblem(new URLSearchParams("kind=x&colour=blue&size=9"), ["kind", "account"])).toBe("Unknown parameters: colour, size (allowed: kind, account)");
    expect(queryProblem(new URLSearchParams("kind=a&kind=b"), ["kind", "account"])).toBe("Parameter given more than once: kind");
    expect(queryProblem(new URLSearchParams("kind=a&account=111111111111"), ["kind", "account"])).toBeNull();
    expect(queryProblem(new URLSearchParams(""), ["kind"])).toBeNull();
  });
});
