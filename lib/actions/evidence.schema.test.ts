import { describe, expect, it } from "vitest";
import { createEvidenceExportSchema } from "./evidence.schema";

const valid = { framework: "aws-fsbp", format: "pdf", accounts: "", regions: "", runId: "" };
const fieldErrors = (input: Record<string, unknown>) => {
  const parsed = createEvidenceExportSchema.safeParse({ ...valid, ...input });
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("createEvidenceExportSchema", () => {
  it("reads comma- or space-separated accounts and regions, deduplicated; empty means all", () => {
    const parsed = createEvidenceExportSchema.parse({ ...valid, accounts: "111122223333, 111122223333 444455556666", regions: "us-east-1,eu-west-1", runId: "7" });
    expect(parsed).toEqual({ framework: "aws-fsbp", format: "pdf", accounts: ["111122223333", "444455556666"], regions: ["us-east-1", "eu-west-1"], runId: 7 });
    expect(createEvidenceExportSchema.parse(valid)).toMatchObject({ accounts: [], regions: [], runId: null });
  });

  it.each([
    [{ framework: "AWS FSBP; drop table" }, "framework"],
    [{ format: "docx" }, "format"],
    [{ accounts: "12345" }, "accounts"],
    [{ regions: "mars-north-1" }, "regions"],
    [{ runId: "-1" }, "runId"],
    [{ accounts: "1".repeat(3000) }, "accounts"],
  ])("refuses %j naming %s", (input, field) => {
    expect(Object.keys(fieldErrors(input))).toEqual([field]);
  });
});
