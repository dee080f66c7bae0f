import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  it.each([
    ["/settings/users", "/settings/users"],
    ["/compliance?framework=aws-fsbp", "/compliance?framework=aws-fsbp"],
    ["https://evil.example.com/", "/overview"],
    ["//evil.example.com/x", "/overview"],
    ["/\\evil.example.com", "/overview"],
    ["/login", "/overview"],
    ["/api/audit-log", "/overview"],
    ["", "/overview"],
    [null, "/overview"],
  ])("%j goes to %j", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });
});
