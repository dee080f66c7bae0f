import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./config";

const BIN = path.join(ROOT, "bin", "portwatch.mjs");

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Starts `portwatch <args>` and resolves once it prints `ready` (or rejects with its output). */
export function startPortwatch(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 90_000): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portwatch ${args[0]} did not start in time:\n${output}`)), timeoutMs);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`portwatch ${args[0]} exited with ${code}:\n${output}`));
    });
  });
}

/** Ctrl-C, as a user stops it; resolves with the exit code. */
export function stopPortwatch(child: ChildProcess, timeoutMs = 30_000): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("portwatch did not stop within 30 s of SIGINT")), timeoutMs);
    child.removeAllListeners("exit");
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill("SIGINT");
  });
}

/** Runs a one-shot portwatch command; rejects on a non-zero exit. */
export function runPortwatch(args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.stdin.end(stdin);
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`portwatch ${args.join(" ")} exited ${code}: ${output}`))));
  });
}
