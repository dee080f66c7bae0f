import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { ROLES, type Role } from "@/lib/auth/roles";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";
import { EVIDENCE_FORMATS } from "@/lib/evidence/types";
import { databaseFingerprint } from "@/test/db-fingerprint";
import { withTestDatabase } from "@/test/database";
import { serverActionNames } from "@/test/endpoints";
import {
  badAccountId,
  badExpiryDate,
  badRegion,
  badRoleArn,
  badRowId,
  badType,
  INJECTIONS,
  NOT_A_BOOLEAN,
  NOT_A_NUMBER,
  OVER_ONE_MB,
  TEN_K_EMOJI,
  unknownEnum,
} from "./bad-input";

// Every server action, called as a role allowed to call it, with one field of an otherwise valid
// input replaced by a bad value. The session is mocked as lib/actions/authorization.test.ts does;
// the schema, the action and the database are real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const users = await import("@/lib/actions/users");
const settings = await import("@/lib/actions/settings");
const accounts = await import("@/lib/actions/accounts");
const collection = await import("@/lib/actions/collection");
const compliance = await import("@/lib/actions/compliance");
const evidence = await import("@/lib/actions/evidence");
const { DEFAULT_COMPLIANCE_THRESHOLDS } = await import("@/lib/settings");

const db = withTestDatabase();

type Result = { serverError?: { code: string; message: string }; data?: unknown; validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } };
type AnyAction = (input: never) => Promise<Result>;

interface FuzzSpec {
  action: AnyAction;
  role: Role;
  valid: () => Record<string, unknown>;
  /** Field (dotted for nested ones) -> values that must be refused, naming that field. */
  bad: Record<string, fc.Arbitrary<unknown>>;
  /** Free-text fields: odd text may be stored verbatim, but never NUL, a bidi override or over 1 MB. */
  text?: Record<string, { multiline?: boolean }>;
  /** Tables a successful call may change (the audit log always may). */
  writes?: string[];
}

const ACCOUNT = "210987654321";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PortwatchReadOnly`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const ids = { user: "", exception: "", attestation: "" };

const str = (required = true) => badType(required);
const longText = fc.constantFrom(OVER_ONE_MB, TEN_K_EMOJI);
const injection = fc.constantFrom(...INJECTIONS);
const freeText = fc.oneof(injection, fc.string({ maxLength: 40 }), fc.constantFrom(OVER_ONE_MB));
// A wildcard over repository names may well read "../x" or "__proto__": harmless there (nothing is
// looked up by it), so those two are not among a pattern's bad values.
const NOT_A_PATTERN = INJECTIONS.filter((s) => !s.startsWith("..") && s !== "__proto__");
const badUserId = fc.oneof(badType(true), fc.constantFrom("", OVER_ONE_MB, "id\u0000", "../../etc/passwd", "a b", "%00"));

const SPECS: Record<string, FuzzSpec> = {
  createUserAction: {
    action: users.createUserAction as AnyAction,
    role: "admin",
    valid: () => ({ email: `fuzz-${Math.random().toString(36).slice(2)}@example.com`, role: "auditor", name: "Fuzz" }),
    bad: {
      email: fc.oneof(str(), fc.constantFrom("", "not-an-email", "a@b", `${"a".repeat(400)}@example.com`, OVER_ONE_MB, ...INJECTIONS)),
      role: fc.oneof(badType(true), unknownEnum(ROLES)),
      name: fc.oneof(badType(false), longText),
      password: fc.oneof(badType(false), fc.constantFrom("short", OVER_ONE_MB, "x".repeat(257))),
    },
    text: { name: {} },
    writes: ["User"],
  },
  updateUserRoleAction: {
    action: users.updateUserRoleAction as AnyAction,
    role: "admin",
    valid: () => ({ userId: ids.user, role: "finops" }),
    bad: { userId: badUserId, role: fc.oneof(badType(true), unknownEnum(ROLES)) },
  },
  setUserDisabledAction: {
    action: users.setUserDisabledAction as AnyAction,
    role: "admin",
    valid: () => ({ userId: ids.user, disabled: true }),
    bad: { userId: badUserId, disabled: badType(true, NOT_A_BOOLEAN) },
  },
  resetUserPasswordAction: {
    action: users.resetUserPasswordAction as AnyAction,
    role: "admin",
    valid: () => ({ userId: ids.user }),
    bad: { userId: badUserId, password: fc.oneof(badType(false), fc.constantFrom("short", OVER_ONE_MB)) },
  },
  changeOwnPasswordAction: {
    action: users.changeOwnPasswordAction as AnyAction,
    role: "finops",
    valid: () => ({ currentPassword: "initial password", newPassword: "a brand new password" }),
    bad: {
      currentPassword: fc.oneof(str(), fc.constantFrom("", OVER_ONE_MB, "not my password at all", "initial password\u0000")),
      newPassword: fc.oneof(str(), fc.constantFrom("", "short", OVER_ONE_MB, "initial password")),
    },
  },
  updateSettingsAction: {
    action: settings.updateSettingsAction as AnyAction,
    role: "admin",
    valid: () => ({ organisationName: "Acme", defaultRegions: "eu-west-1, us-east-1" }),
    bad: {
      organisationName: fc.oneof(str(), fc.constantFrom("", "   ", OVER_ONE_MB, TEN_K_EMOJI)),
      defaultRegions: fc.oneof(str(), fc.constantFrom("", OVER_ONE_MB), badRegion.map((r) => `us-east-1, ${r}`)),
    },
    text: { organisationName: {} },
    writes: ["Setting"],
  },
  collectNowAction: {
    action: collection.collectNowAction as AnyAction,
    role: "security",
    valid: () => ({ accountIds: [ACCOUNT] }),
    bad: {
      // An unlisted account is well-formed: refused as a server error, before a run is queued.
      accountIds: fc.oneof(badType(false, [ACCOUNT, 1, null, {}, true]), badAccountId.map((id) => [ACCOUNT, id]), fc.constant(Array.from({ length: 1001 }, () => ACCOUNT)), fc.constant(["999999999999"])),
      regions: fc.oneof(badType(false, ["us-east-1", 1, null, {}]), badRegion.map((r) => [r])),
    },
  },
  createAwsAccountAction: {
    action: accounts.createAwsAccountAction as AnyAction,
    role: "admin",
    valid: () => ({ accountId: "123456789012", name: "fuzz", environment: "dev", roleArn: "arn:aws:iam::123456789012:role/R", regions: "" }),
    bad: {
      accountId: fc.oneof(str(), badAccountId),
      name: fc.oneof(str(), fc.constantFrom("", "  ", OVER_ONE_MB, TEN_K_EMOJI)),
      environment: fc.oneof(str(), fc.constantFrom("", "Prod", "prod env", OVER_ONE_MB, ...INJECTIONS)),
      roleArn: fc.oneof(str(), badRoleArn, fc.constant("arn:aws:iam::999999999999:role/R")),
      regions: fc.oneof(str(), badRegion, fc.constant(OVER_ONE_MB)),
    },
    text: { name: {} },
    writes: ["AwsAccount"],
  },
  updateAwsAccountAction: {
    action: accounts.updateAwsAccountAction as AnyAction,
    role: "admin",
    valid: () => ({ accountId: ACCOUNT, name: "fuzz", environment: "dev", roleArn: ROLE_ARN, regions: "eu-west-1" }),
    bad: {
      // A well-formed id of an unlisted account is named on roleArn (the role is in another account).
      accountId: fc.oneof(str(), badAccountId),
      name: fc.oneof(str(), fc.constantFrom("", OVER_ONE_MB, TEN_K_EMOJI)),
      environment: fc.oneof(str(), fc.constantFrom("", "PROD", OVER_ONE_MB, ...INJECTIONS)),
      roleArn: fc.oneof(str(), badRoleArn),
      regions: fc.oneof(str(), badRegion),
    },
    text: { name: {} },
    writes: ["AwsAccount"],
  },
  setAwsAccountEnabledAction: {
    action: accounts.setAwsAccountEnabledAction as AnyAction,
    role: "admin",
    valid: () => ({ accountId: ACCOUNT, enabled: false }),
    bad: { accountId: fc.oneof(str(), badAccountId, fc.constant("999999999999")), enabled: badType(true, NOT_A_BOOLEAN) },
  },
  deleteAwsAccountAction: {
    action: accounts.deleteAwsAccountAction as AnyAction,
    role: "admin",
    valid: () => ({ accountId: ACCOUNT }),
    bad: { accountId: fc.oneof(str(), badAccountId, fc.constant("999999999999")) },
  },
  testConnectionAction: {
    action: accounts.testConnectionAction as AnyAction,
    role: "security",
    valid: () => ({ accountId: ACCOUNT }),
    bad: { accountId: fc.oneof(str(), badAccountId, fc.constant("999999999999")) },
  },
  updateCollectScheduleAction: {
    action: accounts.updateCollectScheduleAction as AnyAction,
    role: "admin",
    valid: () => ({ collectSchedule: "0 */6 * * *" }),
    bad: {
      collectSchedule: fc.oneof(str(), fc.constantFrom("", "* * * *", "61 * * * *", "0 0 31 2 *x", "@hourly", "0 */0 * * *", OVER_ONE_MB, ...INJECTIONS)),
    },
  },
  createExceptionAction: {
    action: compliance.createExceptionAction as AnyAction,
    role: "security",
    valid: () => ({ framework: "aws-fsbp", control: "ECR.2", accountId: "", region: "", resourcePattern: "team/*", reason: "Pipelines re-push latest until Q3", owner: "platform", expiresAt: inDays(90) }),
    bad: {
      framework: fc.oneof(str(), fc.constantFrom("no-such-framework", "AWS-FSBP", "", OVER_ONE_MB, ...INJECTIONS)),
      control: fc.oneof(str(), fc.constantFrom("ECR.999", "ecr.2", "", OVER_ONE_MB, ...INJECTIONS)),
      accountId: fc.oneof(str(), badAccountId),
      region: fc.oneof(str(), badRegion),
      resourcePattern: fc.oneof(str(), fc.constantFrom("", "team api", OVER_ONE_MB, ...NOT_A_PATTERN)),
      reason: fc.oneof(str(), fc.constantFrom("", "too short", OVER_ONE_MB)),
      owner: fc.oneof(str(), fc.constantFrom("", OVER_ONE_MB)),
      expiresAt: fc.oneof(str(), badExpiryDate()),
    },
    text: { reason: { multiline: true }, owner: {} },
    writes: ["ComplianceException", "Evaluation", "ComplianceResult", "ComplianceRollup"],
  },
  revokeExceptionAction: {
    action: compliance.revokeExceptionAction as AnyAction,
    role: "admin",
    valid: () => ({ id: ids.exception }),
    bad: { id: fc.oneof(str(), badRowId) },
  },
  createAttestationAction: {
    action: compliance.createAttestationAction as AnyAction,
    role: "admin",
    valid: () => ({ framework: "csa-ccm-v5", control: "IAM-01", text: "IAM policy for ECR reviewed by the security team", expiresAt: inDays(180), file: null }),
    bad: {
      framework: fc.oneof(str(), fc.constantFrom("no-such-framework", "", OVER_ONE_MB, ...INJECTIONS)),
      control: fc.oneof(str(), fc.constantFrom("IAM-99", "ECR.1", "", OVER_ONE_MB, ...INJECTIONS)),
      text: fc.oneof(str(), fc.constantFrom("", "short", OVER_ONE_MB)),
      expiresAt: fc.oneof(str(), badExpiryDate()),
      file: fc.oneof(
        badType(true, ["file", 1, [], true]),
        fc.constantFrom(
          { name: "../../etc/passwd", type: "text/plain", base64: "aGk=" },
          { name: "a\u0000b", type: "text/plain", base64: "aGk=" },
          { name: "ok.txt", type: "<script>", base64: "aGk=" },
          { name: "ok.txt", type: "text/plain", base64: "not base64!" },
          { name: "ok.txt", type: "text/plain", base64: "A".repeat(1024 * 1024 + 4) },
          { name: OVER_ONE_MB, type: "text/plain", base64: "aGk=" },
          { name: "ok.txt", type: "text/plain", base64: "aGk=", extra: 1 },
          { name: "ok.txt", base64: "aGk=" },
        ),
      ),
    },
    text: { text: { multiline: true } },
    writes: ["Attestation", "Evaluation", "ComplianceResult", "ComplianceRollup"],
  },
  revokeAttestationAction: {
    action: compliance.revokeAttestationAction as AnyAction,
    role: "security",
    valid: () => ({ id: ids.attestation }),
    bad: { id: fc.oneof(str(), badRowId) },
  },
  updateComplianceSettingsAction: {
    action: compliance.updateComplianceSettingsAction as AnyAction,
    role: "security",
    valid: () => ({ thresholds: { ...DEFAULT_COMPLIANCE_THRESHOLDS }, vulnerabilityThreshold: "HIGH", trustedAccounts: [], resultRetentionRuns: 30 }),
    bad: {
      thresholds: badType(true, [null, [], "{}", 1, true]),
      "thresholds.maxImageGiB": fc.oneof(badType(true, NOT_A_NUMBER), fc.constantFrom(0, -1, 1001)),
      "thresholds.scanStalenessDays": fc.oneof(badType(true, NOT_A_NUMBER), fc.constantFrom(0, 1.5, 366)),
      "thresholds.allowedKmsKeys": fc.oneof(badType(true, ["arn", 1, null]), injection.map((s) => [s]), badRoleArn.map((s) => [s])),
      "thresholds.regionStoragePrices": fc.oneof(badType(true, ["x", null]), fc.constantFrom(["mars-north-1=0.1"], ["us-east-1=-1"], ["us-east-1=0.1", "us-east-1=0.2"], [OVER_ONE_MB])),
      "thresholds.prodNamePatterns": fc.oneof(badType(true, ["prod", null]), fc.constantFrom(...NOT_A_PATTERN, "x".repeat(129)).map((s) => [s])),
      "thresholds.environmentTagKey": fc.oneof(str(), fc.constantFrom("", OVER_ONE_MB)),
      vulnerabilityThreshold: fc.oneof(badType(true), unknownEnum(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"])),
      trustedAccounts: fc.oneof(badType(true, [ACCOUNT, null, {}]), badAccountId.map((id) => [id])),
      resultRetentionRuns: fc.oneof(badType(true, NOT_A_NUMBER), fc.constantFrom(0, 1, 1001, 2.5)),
    },
    text: { "thresholds.environmentTagKey": {} },
    writes: ["Setting", "Evaluation", "ComplianceResult", "ComplianceRollup"],
  },
  createEvidenceExportAction: {
    action: evidence.createEvidenceExportAction as AnyAction,
    role: "auditor",
    valid: () => ({ framework: "aws-fsbp", format: "pdf", accounts: "", regions: "", runId: "" }),
    bad: {
      framework: fc.oneof(str(), fc.constantFrom("no-such-framework", "", OVER_ONE_MB, ...INJECTIONS)),
      format: fc.oneof(str(), unknownEnum(EVIDENCE_FORMATS)),
      accounts: fc.oneof(str(), badAccountId.map((id) => `${ACCOUNT}, ${id}`), fc.constant(OVER_ONE_MB)),
      regions: fc.oneof(str(), badRegion),
      runId: fc.oneof(str(), fc.constantFrom("-1", "1.5", "0x10", "9999999999", "abc", "999999999", "0", OVER_ONE_MB, ...INJECTIONS)),
    },
  },
};

// Public by nature, and exercised over HTTP instead (e2e/fuzz.spec.ts, the Auth.js route in
// routes.test.ts): they need Next's request context (headers(), redirect) that a unit test lacks.
const NOT_FUZZED_HERE = ["signInAction", "signInWithOidcAction", "signOutAction"];


function withField(input: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = dotted.split(".");
  if (rest.length === 0) {
    const copy = { ...input };
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  return { ...input, [head]: withField((input[head] ?? {}) as Record<string, unknown>, rest.join("."), value) };
}

/** The validation error names the field: by its dotted path, or by its top-level name (flattened shape). */
function namesField(result: Result, dotted: string): boolean {
  const keys = Object.keys(result.validationErrors?.fieldErrors ?? {}).filter((k) => result.validationErrors?.fieldErrors?.[k]?.length);
  const top = dotted.split(".")[0];
  return keys.some((k) => k === dotted || k.startsWith(`${dotted}.`) || k === top);
}

const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const mustRefuseText = (value: unknown, multiline: boolean) =>
  typeof value !== "string" || value.length > 1024 * 1024 || HIDDEN.test(value) || (!multiline && /[\n\r]/.test(value));

function describeValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value.slice(0, 60)) + (value.length > 60 ? `…(${value.length} chars)` : "") : JSON.stringify(value)?.slice(0, 80) ?? String(value);
  return text;
}

async function changedTables(before: Awaited<ReturnType<typeof databaseFingerprint>>): Promise<string[]> {
  const after = await databaseFingerprint(db.url());
  return Object.keys({ ...before, ...after }).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t])).sort();
}

/** One bad value in one field; `free` marks free text, which may be stored as typed. */
type BadCase = { field: string; value: unknown; free: boolean };

const sessionFor: Partial<Record<Role, SessionUser>> = {};

beforeAll(async () => {
  for (const role of ROLES) {
    const u = await createUser({ email: `${role}@example.com`, role, passwordHash: await hashPassword("initial password") }, SYSTEM_ACTOR);
    sessionFor[role] = { id: u.id, email: u.email, name: null, role, sessionToken: `token-${role}` };
  }
  ids.user = (await createUser({ email: "target@example.com", role: "auditor", passwordHash: null }, SYSTEM_ACTOR)).id;
  await getDb().awsAccount.create({ data: { id: ACCOUNT, name: "fuzz", roleArn: ROLE_ARN, regions: [], source: "ui" } });
  ids.exception = (await getDb().complianceException.create({ data: { framework: "aws-fsbp", control: "ECR.2", resourcePattern: "*", reason: "fuzz target", owner: "fuzz", expiresAt: new Date(Date.now() + 86_400_000), createdBy: "fuzz" } })).id;
  ids.attestation = (await getDb().attestation.create({ data: { framework: "csa-ccm-v5", control: "IAM-01", text: "fuzz target", attester: "fuzz", expiresAt: new Date(Date.now() + 86_400_000) } })).id;
});

describe("server actions refuse bad input, naming the field, and change nothing", () => {
  it("has fuzz cases for every server action in lib/actions", async () => {
    expect(await serverActionNames()).toEqual([...Object.keys(SPECS), ...NOT_FUZZED_HERE].sort());
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, async () => {
      session.user = sessionFor[spec.role]!;
      const textFields = spec.text ?? {};
      const badCase = fc.oneof(
        ...Object.entries(spec.bad).map(([field, values]) => values.map((value): BadCase => ({ field, value, free: false }))),
        ...Object.keys(textFields).map((field) => freeText.map((value): BadCase => ({ field, value, free: true }))),
      );
      const errorSpy = vi.spyOn(console, "error").mockImplementation(() => undefined);
      try {
        await fc.assert(
          fc.asyncProperty(badCase, async ({ field, value, free }) => {
            const label = `${name} ${field}=${describeValue(value)}`;
            const before = await databaseFingerprint(db.url());
            let result: Result;
            try {
              result = await spec.action(withField(spec.valid(), field, value) as never);
            } catch (error) {
              throw new Error(`${label} threw: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
            }
            expect(result.serverError?.code, `${label}: ${result.serverError?.message}`).not.toBe("internal");
            const refused = result.validationErrors !== undefined || result.serverError !== undefined;
            if (free && refused === false && !mustRefuseText(value, textFields[field].multiline ?? false)) {
              // Odd but harmless text is stored as typed; nothing beyond the action's own tables moves.
              const allowed = new Set([...(spec.writes ?? []), "AuditLog"]);
              expect((await changedTables(before)).filter((t) => !allowed.has(t)), label).toEqual([]);
              return;
            }
            expect(refused, `${label} was accepted`).toBe(true);
            if (result.validationErrors) expect(namesField(result, field), `${label}: ${JSON.stringify(result.validationErrors).slice(0, 300)}`).toBe(true);
            expect(await changedTables(before), label).toEqual([]);
          }),
          // Every injection string in every free-text field, whatever the random draw.
          { numRuns: 30, endOnFailure: true, examples: Object.keys(textFields).flatMap((field) => [...INJECTIONS, OVER_ONE_MB].map((value): [BadCase] => [{ field, value, free: true }])) },
        );
        expect(errorSpy, `${name} logged an unexpected server error`).not.toHaveBeenCalled();
      } finally {
        errorSpy.mockRestore();
      }
    });
  }

  it("refuses an input that is not an object at all, for every action", async () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      session.user = sessionFor[spec.role]!;
      for (const input of [null, "x", 42, [], [spec.valid()]]) {
        const before = await databaseFingerprint(db.url());
        const result = await spec.action(input as never);
        expect(result.validationErrors, `${name}(${JSON.stringify(input)?.slice(0, 40)})`).toBeDefined();
        expect(await changedTables(before), name).toEqual([]);
      }
    }
  });
});
