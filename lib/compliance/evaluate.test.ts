import { describe, expect, it } from "vitest";
import { combineStatuses, Evaluator } from "./evaluate";
import type { ExceptionRule } from "./exceptions";
import type { Check, CheckContext, FrameworkPack, RegistryFacts, RepositoryFacts } from "./types";
import { DEFAULT_COMPLIANCE_SETTINGS } from "./types";

describe("combining a control's checks (CONTROLS.md, Vocabulary)", () => {
  it.each([
    [["PASS", "FAIL", "ERROR"], "FAIL"],
    [["PASS", "ERROR", "MANUAL"], "ERROR"],
    [["PASS", "MANUAL"], "MANUAL"],
    [["PASS", "INHERITED"], "PASS"],
    [["INHERITED", "INHERITED"], "INHERITED"],
    [["INHERITED", "NOT_APPLICABLE"], "INHERITED"],
    [["PASS", "NOT_APPLICABLE"], "PASS"],
    [["NOT_APPLICABLE", "NOT_APPLICABLE"], "NOT_APPLICABLE"],
  ] as const)("%j -> %s", (statuses, expected) => {
    expect(combineStatuses(statuses)).toBe(expected);
  });
});

const NOW = new Date("2026-11-28T12:00:00Z");
const ctx: CheckContext = { now: NOW, settings: DEFAULT_COMPLIANCE_SETTINGS, organizationAccountIds: new Set(["111111111111"]), accountEnvironments: new Map() };
const registry = { accountId: "111111111111", region: "us-east-1", readErrors: {} } as unknown as RegistryFacts;
const repo = (name: string, mutability: string) => ({ arn: `arn:aws:ecr:us-east-1:111111111111:repository/${name}`, accountId: "111111111111", region: "us-east-1", name, imageTagMutability: mutability }) as RepositoryFacts;

let calls = 0;
const mutability: Check = {
  id: "tag-immutability",
  scope: "repository",
  evaluate: (r) => {
    calls += 1;
    return r.imageTagMutability === "IMMUTABLE" ? { status: "PASS", reason: "immutable", evidence: { m: r.imageTagMutability } } : { status: "FAIL", reason: `is ${r.imageTagMutability}`, evidence: { m: r.imageTagMutability } };
  },
};
const inherited: Check = { id: "tls-in-transit", scope: "registry", evaluate: () => ({ status: "INHERITED", reason: "HTTPS only", evidence: {} }) };
const pack = (id: string): FrameworkPack => ({
  id,
  name: id,
  version: "1",
  description: "",
  controls: [
    { id: "C-1", title: "immutable", severity: "high", description: "", implementation: "", checks: ["tag-immutability"] },
    { id: "C-2", title: "tls", severity: "low", description: "", implementation: "", checks: ["tls-in-transit"], attestation: { item: "a person says so" } },
  ],
});
const exception = (over: Partial<ExceptionRule>): ExceptionRule => ({
  id: "e1",
  framework: "one",
  control: "C-1",
  accountId: null,
  region: null,
  resourcePattern: "*",
  reason: "accepted for now",
  owner: "team",
  createdBy: "lead@example.com",
  expiresAt: new Date(NOW.getTime() + 86_400_000),
  revokedAt: null,
  ...over,
});

describe("the evaluator", () => {
  it("decides a check shared by controls of several frameworks once per resource", () => {
    calls = 0;
    const results = new Evaluator([pack("one"), pack("two")], [mutability, inherited], ctx, [], [], NOW).evaluateRegistry(registry, [repo("a", "MUTABLE"), repo("b", "IMMUTABLE")], { runId: 7, collectedAt: NOW });
    expect(calls).toBe(2);
    expect(results.map((r) => `${r.framework} ${r.control} ${r.resource.split("/").pop()} ${r.status}`).sort()).toEqual([
      "one C-1 a FAIL",
      "one C-1 b PASS",
      "one C-2 us-east-1 INHERITED",
      "two C-1 a FAIL",
      "two C-1 b PASS",
      "two C-2 us-east-1 INHERITED",
    ]);
    expect(results[0].evidence).toMatchObject({ runId: 7, collectedAt: NOW.toISOString() });
  });

  it.each([
    ["every resource", {}, ["a", "b-api"]],
    ["a name pattern", { resourcePattern: "b-*" }, ["b-api"]],
    ["an exact name (no substring match)", { resourcePattern: "b" }, []],
    ["another account", { accountId: "222222222222" }, []],
    ["another region", { region: "eu-west-1" }, []],
    ["another framework", { framework: "two" }, []],
    ["an expired exception", { expiresAt: new Date(NOW.getTime() - 1) }, []],
    ["a revoked exception", { revokedAt: NOW }, []],
  ])("applies an exception for %s only where it matches", (_, over, excepted) => {
    const results = new Evaluator([pack("one")], [mutability, inherited], ctx, [exception(over)], [], NOW).evaluateRegistry(registry, [repo("a", "MUTABLE"), repo("b-api", "MUTABLE"), repo("c", "IMMUTABLE")], { runId: 1, collectedAt: NOW });
    const got = results.filter((r) => r.status === "EXCEPTED");
    expect(got.map((r) => r.resource.split("/").pop())).toEqual(excepted);
    for (const r of got) expect(r.reason).toMatch(/^Excepted until \d{4}-\d\d-\d\d \(owner team, accepted by lead@example.com\): accepted for now\. Finding: is MUTABLE$/);
    // A PASS is never turned into EXCEPTED.
    expect(results.find((r) => r.resource.endsWith("/c"))?.status).toBe("PASS");
  });

  it("makes every control ERROR for a registry the run could not read, on the repositories known before", () => {
    const results = new Evaluator([pack("one")], [mutability, inherited], ctx, [exception({})], [], NOW).evaluateUnreadRegistry(
      { accountId: "111111111111", region: "us-east-1", errorName: "AccessDenied", operation: "sts:AssumeRole", message: "not authorized", repositoryArns: [repo("a", "").arn] },
      { runId: 3, collectedAt: null },
    );
    expect(results.map((r) => `${r.control} ${r.scope} ${r.status}`)).toEqual(["C-1 repository ERROR", "C-2 registry ERROR"]);
    expect(results[0].reason).toBe("Not collected in this run: sts:AssumeRole failed with AccessDenied: not authorized");
  });

  it("keeps an attestation item MANUAL until a current attestation exists", () => {
    const attestation = { id: "a1", framework: "one", control: "C-2", attester: "lead@example.com", attestedAt: NOW, expiresAt: new Date(NOW.getTime() + 1000), revokedAt: null, text: "reviewed", fileName: null };
    const without = new Evaluator([pack("one")], [mutability, inherited], ctx, [], [], NOW).evaluateAttestations({ runId: 1, collectedAt: NOW });
    expect(without).toMatchObject([{ control: "C-2", resource: "organization", status: "MANUAL", reason: "Needs a person's attestation: a person says so" }]);
    const expired = new Evaluator([pack("one")], [mutability, inherited], ctx, [], [{ ...attestation, expiresAt: NOW }], NOW).evaluateAttestations({ runId: 1, collectedAt: NOW });
    expect(expired[0].status).toBe("MANUAL");
    const current = new Evaluator([pack("one")], [mutability, inherited], ctx, [], [attestation], NOW).evaluateAttestations({ runId: 1, collectedAt: NOW });
    expect(current[0]).toMatchObject({ status: "PASS", reason: expect.stringMatching(/^Attested by lead@example.com on 2026-11-28/) });
  });

  it("refuses a pack that names a check that does not exist", () => {
    const broken: FrameworkPack = { ...pack("x"), controls: [{ id: "X-1", title: "", severity: "low", description: "", implementation: "", checks: ["no-such-check" as never] }] };
    expect(() => new Evaluator([broken], [mutability], ctx, [], [], NOW)).toThrow(/x X-1 names check no-such-check, which does not exist/);
  });
});
