import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A reader slower than portwatch (a pipeline, a loaded CI machine) must still get every byte:
// 2 MB is more than the OS buffers for a pipe, so part of it is still queued when the command
// is done. process.exit() at that point dropped the rest (a CI run saw a CSV cut short).

function run(exit: "exitWhenFlushed" | "process.exit"): Promise<{ received: number; code: number | null }> {
  const helper = path.join(import.meta.dirname, "exit-when-flushed.ts");
  const finish = exit === "exitWhenFlushed" ? "m.exitWhenFlushed(3)" : "process.exit(3)";
  const child = spawn(process.execPath, ["--import", "tsx", "-e", `import(${JSON.stringify(helper)}).then((m) => { process.stdout.write("x".repeat(2_000_000)); ${finish}; })`]);
  let received = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    received += chunk.length;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 20);
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ received, code })));
}

describe("exitWhenFlushed", () => {
  it("exits with the code only after a slow reader has taken all of the output", { timeout: 30_000 }, async () => {
    expect(await run("exitWhenFlushed")).toEqual({ received: 2_000_000, code: 3 });
  });

  it("is needed: process.exit() alone loses what the reader has not taken", { timeout: 30_000 }, async () => {
    const { received, code } = await run("process.exit");
    expect(code).toBe(3);
    expect(received).toBeLessThan(2_000_000);
  });
});
