import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, portwatch } from "@/test/cli";
import { databaseFingerprint, type DatabaseFingerprint } from "@/test/db-fingerprint";
import { withTestDatabase } from "@/test/database";
import { INJECTIONS } from "./bad-input";

// Every `portwatch` subcommand with bad arguments, as a user would type them: the command exits 1
// with one "portwatch: ..." line naming the flag or the field, no stack trace, and the database
// it was pointed at is unchanged. A fixed table (spawning costs 1-3 s), two at a time.

const db = withTestDatabase();
let dir = "";
let env: Record<string, string> = {};
let before: DatabaseFingerprint;
const file = (name: string) => path.join(dir, name);

interface CliCase {
  args: () => string[];
  /** What the first stderr line must name. */
  names: RegExp;
  stdin?: string;
  /** The verdict goes to stdout (verify's report); stderr stays empty. */
  stdout?: boolean;
}

const c = (args: string[] | (() => string[]), names: RegExp, extra: Omit<CliCase, "args" | "names"> = {}): CliCase => ({ args: typeof args === "function" ? args : () => args, names, ...extra });

const VALID_POLICY = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } }] });

const CASES: Record<string, CliCase[]> = {
  demo: [c(["demo", "--port", "abc"], /--port must be a port number/)],
  serve: [
    c(["serve", "--port", "0"], /--port must be a port number/),
    c(["serve", "--port", "99999"], /--port must be a port number/),
    c(["serve", "--host"], /--host/),
  ],
  worker: [
    c(["worker", "--config"], /--config/),
    c(() => ["worker", "--config", file("missing.json")], /missing\.json: no such file/),
    c(() => ["worker", "--config", file("malformed.json")], /malformed\.json: is not valid JSON/),
  ],
  collect: [
    c(["collect", "--account", "12345678901"], /--account must be a 12-digit AWS account id, not "12345678901"/),
    c(["collect", "--account", "\u0661".repeat(12)], /--account must be a 12-digit AWS account id/),
    c(["collect", "--region", "mars-north-1"], /--region must be an AWS region/),
    // Well-formed, but not listed: refused before a run is stored.
    c(["collect", "--account", "999999999999"], /--account: Account 999999999999 is not listed/),
    c(["collect", "--region", INJECTIONS[0]], /--region must be an AWS region/),
    c(() => ["collect", "--config", file("bad-accounts.json")], /bad-accounts\.json: \d+ problems, nothing was applied/),
    c(() => ["collect", "--config", file("huge.json")], /huge\.json: is not valid JSON/),
    c(() => ["collect", "--config", file("nul-name.json")], /nul-name\.json: 1 problem, nothing was applied/),
  ],
  results: [
    c(["results", "--framework", "nope"], /--framework must be one of/),
    c(["results", "--status", "MAYBE"], /--status must be one of/),
    c(["results", "--account", "abc"], /--account must be a 12-digit AWS account id/),
    c(["results", "--format", "xml"], /--format must be table, json or csv/),
  ],
  export: [
    c(["export"], /--framework must be one of/),
    c(["export", "--framework", "aws-fsbp", "--format", "docx", "--out", "x"], /--format must be one of/),
    c(["export", "--framework", "aws-fsbp", "--format", "pdf", "--out", "x", "--run", "-1"], /--run/),
    c(["export", "--framework", "aws-fsbp", "--format", "pdf", "--out", "x", "--run", "99999999999"], /--run must be a run number/),
    // Well-formed, but no such run: refused before an export request is stored.
    c(() => ["export", "--framework", "aws-fsbp", "--format", "pdf", "--out", file("x.pdf"), "--run", "4242"], /--run: there is no run #4242/),
  ],
  lifecycle: [
    c(["lifecycle"], /missing the subcommand/),
    c(["lifecycle", "preview"], /--images FILE or --repository ARN/),
    c(["lifecycle", "preview", "--repository", "arn:aws:s3:::bucket"], /--repository must be a repository ARN/),
    c(() => ["lifecycle", "preview", "--policy", file("missing.json"), "--images", file("images.json")], /--policy .*missing\.json: no such file/),
    c(() => ["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--at", "2026-13-45"], /--at must be an ISO 8601 date/),
    c(() => ["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("images.json"), "--region", "mars-north-1"], /--region must be an AWS region/),
    c(() => ["lifecycle", "preview", "--policy", file("malformed.json"), "--images", file("images.json")], /lifecycle policy .*malformed\.json/),
    c(() => ["lifecycle", "preview", "--policy", file("injected-policy.json"), "--images", file("images.json")], /lifecycle policy .*injected-policy\.json/),
    c(() => ["lifecycle", "preview", "--policy", file("policy.json"), "--images", file("malformed.json")], /--images .*malformed\.json is not JSON/),
  ],
  verify: [
    c(["verify"], /give exactly one FILE/),
    c(() => ["verify", file("missing.pdf")], /the file .*missing\.pdf does not exist/),
    c(() => ["verify", file("images.json"), "--manifest", file("missing.json")], /the manifest .*missing\.json does not exist/),
    c(() => ["verify", file("images.json"), "--manifest", file("malformed.json")], /manifest is not JSON/, { stdout: true }),
  ],
  keys: [c(["keys", "rotate"], /keys: unknown command "rotate"/), c(["keys", "retire", "../../etc/passwd"], /KEYID must be 16 lowercase hex characters/)],
  migrate: [c(["migrate", "now"], /migrate: .*now/)],
  users: [
    c(["users", "nope"], /users: unknown command "nope"/),
    c(["users", "add", "--role", "admin"], /--email is required/),
    c(["users", "add", "--email", "not-an-email", "--role", "admin"], /--email must be an email address/),
    c(["users", "add", "--email", "new@example.com", "--role", "root"], /--role must be one of/),
    c(["users", "add", "--email", "new@example.com", "--role", "admin", "--name", "n".repeat(121)], /--name must be at most 120 characters/),
    c(["users", "add", "--email", "new@example.com", "--role", "admin", "--name", "evil\u202Egnp.exe"], /--name must not contain/),
    c(["users", "add", "--email", "new@example.com", "--role", "admin", "--password-stdin"], /the password must be at least 12 characters/, { stdin: "short" }),
    c(["users", "set-role", "--email", "nobody@example.com", "--role", "admin"], /no user with email nobody@example\.com/),
  ],
  sandbox: [
    c(["sandbox", "--profile", "huge"], /--profile must be demo, scale or faults/),
    c(["sandbox", "--seed", "-1"], /--seed/),
    c(["sandbox", "--regions", ","], /--regions must list AWS regions/),
  ],
};

/** The subcommands `portwatch --help` lists. */
async function listedCommands(): Promise<string[]> {
  const help = await portwatch(["--help"]);
  const block = help.stdout.split("Commands:")[1]?.split("\n\n")[0] ?? "";
  return [...block.matchAll(/^ {2}(\S+)\s/gm)].map((m) => m[1]).sort();
}

function expectCliError(run: CliRun, kase: CliCase, label: string) {
  expect(run.code, `${label}\n${run.stderr}${run.stdout}`).toBe(1);
  const all = `${run.stdout}\n${run.stderr}`;
  expect(all, label).not.toMatch(/^\s+at /m);
  if (kase.stdout) {
    expect(run.stdout, label).toMatch(kase.names);
    return;
  }
  // One error line; progress lines ("Database is up to date") and a config file's problems, one
  // per indented line below it, may surround it.
  const errors = run.stderr.split("\n").filter((line) => line.startsWith("portwatch: "));
  expect(errors, `${label}\n${run.stderr.slice(0, 500)}`).toHaveLength(1);
  expect(errors[0], label).toMatch(kase.names);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "portwatch-cli-fuzz-"));
  // Everything a command could need, so a case fails on its argument and nothing else: the test
  // database (never the embedded one), a signing key in the environment, a data dir of its own.
  const signingKey = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
  env = { DATABASE_URL: db.url(), PORTWATCH_SIGNING_KEY: signingKey, PORTWATCH_DATA_DIR: path.join(dir, "data"), AWS_EC2_METADATA_DISABLED: "true" };
  await writeFile(file("malformed.json"), '{"rules": [ {"rulePriority": 1,, }');
  await writeFile(file("huge.json"), `{"accounts": [${'"x",'.repeat(800_000)}`);
  await writeFile(
    file("bad-accounts.json"),
    JSON.stringify({
      regions: ["us-east-1"],
      accounts: [
        { id: "12345678901", name: "short id", roleArn: "arn:aws:iam::12345678901:role/R" },
        { id: "123456789012", name: INJECTIONS[0], roleArn: `arn:aws:iam::123456789012:role/${"a".repeat(2048)}` },
      ],
    }),
  );
  // PostgreSQL cannot store a NUL: the name must be refused with its path, not fail the write.
  await writeFile(file("nul-name.json"), JSON.stringify({ regions: ["us-east-1"], accounts: [{ id: "123456789012", name: "prod\u0000core", roleArn: "arn:aws:iam::123456789012:role/R" }] }));
  await writeFile(file("policy.json"), VALID_POLICY);
  await writeFile(
    file("injected-policy.json"),
    JSON.stringify({ rules: [{ rulePriority: `1; ${INJECTIONS[0]}`, description: INJECTIONS[2], selection: { tagStatus: "tagged", tagPrefixList: ["{{7*7}}"], countType: "imageCountMoreThan", countNumber: -1 }, action: { type: "expire" } }] }),
  );
  await writeFile(file("images.json"), JSON.stringify({ imageDetails: [] }));
  before = await databaseFingerprint(db.url());
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("portwatch refuses bad arguments in one line naming them, and changes nothing", () => {
  it("has cases for every subcommand portwatch --help lists", async () => {
    expect(await listedCommands()).toEqual(Object.keys(CASES).sort());
  });

  it("refuses every case in the table", { timeout: 300_000 }, async () => {
    const queue = Object.entries(CASES).flatMap(([command, cases]) => cases.map((kase) => ({ command, kase })));
    const failures: string[] = [];
    // Two at a time: the machine has two cores, and each call starts a Node process.
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const args = next.kase.args();
        const label = `portwatch ${args.map((a) => (a.length > 40 ? `${a.slice(0, 40)}…` : a)).join(" ")}`;
        const run = await portwatch(args, env, next.kase.stdin);
        try {
          expectCliError(run, next.kase, label);
          expect(await databaseFingerprint(db.url()), `${label} changed the database`).toEqual(before);
        } catch (error) {
          failures.push(error instanceof Error ? error.message.split("\n").slice(0, 6).join("\n") : String(error));
        }
      }
    };
    await Promise.all([lane(), lane()]);
    expect(failures).toEqual([]);
  });
});
