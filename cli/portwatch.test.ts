import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { withTestDatabase } from "@/test/database";
import { type CliRun, portwatch, ROOT } from "@/test/cli";
import { freePort } from "@/test/pg-server";

/** The CLI's contract for bad input: exit 1 and exactly one line on stderr, no stack trace. */
function expectOneLineError(run: CliRun, pattern: RegExp) {
  expect(run.code).toBe(1);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^portwatch: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const testDb = withTestDatabase();

describe("portwatch command", () => {
  it("lists its commands, and each command has --help", async () => {
    const help = await portwatch(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["demo", "serve", "worker", "collect", "migrate", "users", "sandbox"]) {
      expect(help.stdout).toContain(command);
      const sub = await portwatch([command, "--help"], { DATABASE_URL: "not even a url" });
      expect(sub.code, command).toBe(0);
      expect(sub.stdout).toContain(`Usage: portwatch ${command}`);
    }
  });

  it("refuses bad sandbox options in one line", async () => {
    expectOneLineError(await portwatch(["sandbox", "--profile", "huge"]), /--profile must be demo, scale or faults, not "huge"/);
    expectOneLineError(await portwatch(["sandbox", "--regions", "us-east-1,mars-north-1"]), /--regions must list AWS regions; not known: mars-north-1/);
    expectOneLineError(await portwatch(["sandbox", "--accounts", "many"]), /--accounts must be a whole number from 1 to 2000, not "many"/);
  });

  it("lists the sandbox's misconfigurations for a seed, the same every time", async () => {
    const first = await portwatch(["sandbox", "--misconfigurations", "--seed", "5"]);
    const second = await portwatch(["sandbox", "--misconfigurations", "--seed", "5"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const checks = new Set((JSON.parse(first.stdout) as { check: string }[]).map((m) => m.check));
    for (const check of ["scan-configured", "tag-immutability", "lifecycle-present", "cmk-encryption", "policy-not-public", "latest-image-vulns", "trail-logging", "selective-replication"]) {
      expect(checks).toContain(check);
    }
  });

  it("refuses an unknown command or option in one line", async () => {
    expectOneLineError(await portwatch(["launch"]), /unknown command "launch"/);
    expectOneLineError(await portwatch(["serve", "--prot", "3000"]), /serve: Unknown option '--prot'/);
    expectOneLineError(await portwatch(["serve", "--port", "99999"]), /--port must be a port number from 1 to 65535, not "99999"/);
  });

  it("names a bad DATABASE_URL, and one that cannot be reached, without printing its password", async () => {
    expectOneLineError(await portwatch(["migrate"], { DATABASE_URL: "mysql://root@localhost/db" }), /DATABASE_URL must be a PostgreSQL URL/);
    const closed = await freePort();
    const run = await portwatch(["migrate"], { DATABASE_URL: `postgresql://pw:hunter2secret@127.0.0.1:${closed}/portwatch` });
    expectOneLineError(run, new RegExp(`cannot connect to PostgreSQL at 127.0.0.1:${closed} \\(database portwatch\\): connection refused`));
    expect(run.stderr).not.toContain("hunter2secret");
  });

  it("refuses a PORTWATCH_ADMIN_PASSWORD that is too short", async () => {
    expectOneLineError(await portwatch(["serve"], { PORTWATCH_ADMIN_PASSWORD: "short" }), /PORTWATCH_ADMIN_PASSWORD must be 12 to 256 characters/);
  });

  it("says which port is in use, for the web app and for the embedded database", async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as net.AddressInfo).port)));
    const dataDir = await mkdtemp(path.join(ROOT, ".portwatch", "cli-test-"));
    try {
      expectOneLineError(await portwatch(["serve", "--port", String(port), "--host", "127.0.0.1"]), new RegExp(`port ${port} is in use on 127.0.0.1`));
      expectOneLineError(
        await portwatch(["migrate"], { PORTWATCH_PG_PORT: String(port), PORTWATCH_DATA_DIR: dataDir }),
        new RegExp(`port ${port} for the embedded PostgreSQL is in use: free it or set PORTWATCH_PG_PORT`),
      );
    } finally {
      blocker.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe("users", () => {
    const env = () => ({ DATABASE_URL: testDb.url() });

    it("adds a user with a generated password, or one from standard input", async () => {
      const added = await portwatch(["users", "add", "--email", "Ivan@Example.com", "--role", "finops", "--name", "Ivan"], env());
      expect(added.code).toBe(0);
      expect(added.stdout).toContain("Added ivan@example.com (finops).");
      expect(added.stdout).toMatch(/Password \(shown only now\): [A-Za-z0-9_-]{24}/);

      const piped = await portwatch(["users", "add", "--email", "judy@example.com", "--role", "auditor", "--password-stdin"], env(), "judy's long password\n");
      expect(piped.code).toBe(0);
      expect(piped.stdout).not.toContain("judy's long password");

      const list = await portwatch(["users", "list"], env());
      expect(list.stdout).toMatch(/ivan@example.com\s+finops\s+active/);
      expect(list.stdout).toMatch(/judy@example.com\s+auditor\s+active/);
      const audit = await getDb().auditLog.findMany({ where: { action: "user.create" }, select: { actorEmail: true } });
      expect(audit.every((a) => a.actorEmail.startsWith("cli:"))).toBe(true);
    });

    it("changes a role, resets a password and disables a user", async () => {
      await portwatch(["users", "add", "--email", "ken@example.com", "--role", "auditor"], env());
      expect((await portwatch(["users", "set-role", "--email", "ken@example.com", "--role", "security"], env())).stdout).toContain("ken@example.com is now security.");
      const before = (await getDb().user.findUniqueOrThrow({ where: { email: "ken@example.com" } })).passwordHash;
      const reset = await portwatch(["users", "reset-password", "--email", "ken@example.com"], env());
      expect(reset.stdout).toMatch(/New password \(shown only now\): \S{24}/);
      expect((await getDb().user.findUniqueOrThrow({ where: { email: "ken@example.com" } })).passwordHash).not.toBe(before);
      expect((await portwatch(["users", "disable", "--email", "ken@example.com"], env())).code).toBe(0);
      expect((await getDb().user.findUniqueOrThrow({ where: { email: "ken@example.com" } })).disabled).toBe(true);
    });

    it("refuses bad arguments before touching the database", async () => {
      const count = await getDb().user.count();
      expectOneLineError(await portwatch(["users", "add", "--email", "x@example.com", "--role", "root"], env()), /--role must be one of admin, security, finops, auditor, not "root"/);
      expectOneLineError(await portwatch(["users", "add", "--email", "not-an-email", "--role", "admin"], env()), /--email must be an email address/);
      expectOneLineError(await portwatch(["users", "add", "--email", "y@example.com", "--role", "admin", "--password-stdin"], env(), "short\n"), /the password must be at least 12 characters/);
      expectOneLineError(await portwatch(["users", "set-role", "--email", "nobody@example.com", "--role", "admin"], env()), /no user with email nobody@example.com/);
      expectOneLineError(await portwatch(["users", "add", "--email", "ivan@example.com", "--role", "admin"], env()), /A user with email ivan@example.com already exists/);
      expect(await getDb().user.count()).toBe(count);
    });
  });
});

