import { describe, expect, it } from "vitest";
import { actionErrorMessage } from "@/components/ui/action-result";

describe("actionErrorMessage", () => {
  it("names a nested field by its form label, and never refuses without a word", () => {
    expect(actionErrorMessage({ validationErrors: { formErrors: [], fieldErrors: { "file.base64": ["is not base64"] } } }, { file: "File" })).toBe("File is not base64");
    expect(actionErrorMessage({ validationErrors: { formErrors: [], fieldErrors: {} } })).toBe("Some fields are not valid");
    expect(actionErrorMessage({ serverError: { message: "Run #3 is already running" } })).toBe("Run #3 is already running");
    expect(actionErrorMessage({})).toBeUndefined();
  });
});
