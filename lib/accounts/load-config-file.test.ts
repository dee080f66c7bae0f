import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccountsConfigFile } from "./load-config-file";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "pw-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

describe("loadAccountsConfigFile", () => {
  it("returns the validated config", async () => {
    const p = await file(
      "good.json",
      JSON.stringify({ regions: ["eu-west-1"], accounts: [{ id: "111111111111", name: "a", roleArn: "arn:aws:iam::111111111111:role/R" }] }),
    );
    await expect(loadAccountsConfigFile(p)).resolves.toMatchObject({ regions: ["eu-west-1"], accounts: [{ id: "111111111111", environment: "unknown" }] });
  });

  it("names the file, the line and the column of a JSON syntax error", async () => {
    const p = await file("syntax.json", '{\n  "regions": ["us-east-1"],\n  accounts: []\n}');
    await expect(loadAccountsConfigFile(p)).rejects.toThrow(`${p}: is not valid JSON: Expected double-quoted property name at line 3, column 3`);
  });

  it("says so when the file is empty or missing", async () => {
    await expect(loadAccountsConfigFile(await file("empty.json", ""))).rejects.toThrow(/is not valid JSON/);
    await expect(loadAccountsConfigFile(path.join(dir, "nope.json"))).rejects.toThrow(`${path.join(dir, "nope.json")}: no such file`);
  });

  it("lists every problem, one per line", async () => {
    const p = await file(
      "bad.json",
      JSON.stringify({ regions: ["us-east-1"], accounts: [{ id: "1", name: "a", roleArn: "arn:aws:iam::111111111111:role/R" }, { id: "222222222222", name: "", roleArn: "x" }] }),
    );
    const error = await loadAccountsConfigFile(p).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.split("\n")).toEqual([
      `${p}: 3 problems, nothing was applied:`,
      "  accounts[0].id: must be exactly 12 digits",
      "  accounts[1].name: must not be empty",
      "  accounts[1].roleArn: must be an IAM role ARN such as arn:aws:iam::111111111111:role/PortwatchReadOnly",
    ]);
  });
});
