import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  it("quotes commas, quotes and newlines, with CRLF rows", () => {
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], ["line\nbreak", "plain"]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",plain\r\n',
    );
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    expect(toCsv(["name"], [["=HYPERLINK(\"http://evil\")"], ["+1"], ["-2"], ["@SUM(A1)"]])).toBe(
      "name\r\n\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n'+1\r\n'-2\r\n'@SUM(A1)\r\n",
    );
  });
});
