import { beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { createUser } from "@/lib/db/users";
import { withTestDatabase } from "@/test/database";
import { serverActionNames } from "@/test/endpoints";

// The session is what a signed-in browser would carry; everything after it (the guard, the
// action, the database) is real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { createUserAction, updateUserRoleAction, setUserDisabledAction, resetUserPasswordAction, changeOwnPasswordAction } =
  await import("./users");
const { updateSettingsAction } = await import("./settings");
const { createAwsAccountAction, updateAwsAccountAction, setAwsAccountEnabledAction, deleteAwsAccountAction, testConnectionAction, updateCollectScheduleAction } =
  await import("./accounts");
const { collectNowAction } = await import("./collection");
const { createExceptionAction, revokeExceptionAction, createAttestationAction, revokeAttestationAction, updateComplianceSettingsAction } = await import("./compliance");
const { createEvidenceExportAction } = await import("./evidence");
const { DEFAULT_COMPLIANCE_THRESHOLDS } = await import("@/lib/settings");

withTestDatabase();

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", "admin", "security", "finops", "auditor"];
const users: Partial<Record<Role, SessionUser>> = {};
let targetId = "";

type AnyAction = (input: never) => Promise<{ serverError?: { code: string; message: string }; data?: unknown; validationErrors?: unknown }>;

/** Every server action, who may call it, and a valid input. */
const MATRIX: Record<string, { action: AnyAction; allowed: Caller[]; input: () => unknown }> = {
  createUserAction: {
    action: createUserAction as AnyAction,
    allowed: ["admin"],
    input: () => ({ email: `new-${Math.random().toString(36).slice(2)}@example.com`, role: "auditor" }),
  },
  updateUserRoleAction: { action: updateUserRoleAction as AnyAction, allowed: ["admin"], input: () => ({ userId: targetId, role: "finops" }) },
  setUserDisabledAction: { action: setUserDisabledAction as AnyAction, allowed: ["admin"], input: () => ({ userId: targetId, disabled: true }) },
  resetUserPasswordAction: { action: resetUserPasswordAction as AnyAction, allowed: ["admin"], input: () => ({ userId: targetId }) },
  updateSettingsAction: {
    action: updateSettingsAction as AnyAction,
    allowed: ["admin"],
    input: () => ({ organisationName: `Org ${Math.random()}`, defaultRegions: "eu-west-1, us-east-1" }),
  },
  collectNowAction: {
    // One run may be active at a time, so each allowed caller starts with none active.
    action: (async (input: never) => {
      await getDb().collectionRun.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "complete" } });
      return collectNowAction(input);
    }) as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({}),
  },
  createAwsAccountAction: {
    action: createAwsAccountAction as AnyAction,
    allowed: ["admin"],
    input: () => {
      const id = String(Math.floor(Math.random() * 1e12)).padStart(12, "0");
      return { accountId: id, name: "matrix", environment: "dev", roleArn: `arn:aws:iam::${id}:role/PortwatchReadOnly`, regions: "" };
    },
  },
  // The account the next actions work on exists (and is enabled) before each call.
  updateAwsAccountAction: {
    action: (async (input: never) => {
      await getDb().awsAccount.upsert({ where: { id: "210987654321" }, create: { id: "210987654321", name: "matrix", roleArn: "arn:aws:iam::210987654321:role/R", regions: [], source: "ui" }, update: {} });
      return updateAwsAccountAction(input);
    }) as AnyAction,
    allowed: ["admin"],
    input: () => ({ accountId: "210987654321", name: `matrix ${Math.random()}`, environment: "dev", roleArn: "arn:aws:iam::210987654321:role/R", regions: "eu-west-1" }),
  },
  setAwsAccountEnabledAction: {
    action: (async (input: never) => {
      await getDb().awsAccount.upsert({ where: { id: "210987654321" }, create: { id: "210987654321", name: "matrix", roleArn: "arn:aws:iam::210987654321:role/R", regions: [], source: "ui" }, update: { enabled: true } });
      return setAwsAccountEnabledAction(input);
    }) as AnyAction,
    allowed: ["admin"],
    input: () => ({ accountId: "210987654321", enabled: false }),
  },
  testConnectionAction: {
    action: (async (input: never) => {
      // The test runs in the background through the real AWS client: give it static keys and a
      // closed local port, so nothing leaves the machine and instance metadata is never probed,
      // and wait for it to end so nothing outlives this test.
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: "AKIAMATRIXTEST",
        AWS_SECRET_ACCESS_KEY: "matrix-test-secret",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      });
      await getDb().awsAccount.upsert({ where: { id: "210987654321" }, create: { id: "210987654321", name: "matrix", roleArn: "arn:aws:iam::210987654321:role/R", regions: [], source: "ui" }, update: {} });
      const result = await testConnectionAction(input);
      if (result.data) {
        await vi.waitFor(
          async () => {
            const account = await getDb().awsAccount.findUnique({ where: { id: "210987654321" }, select: { lastTest: true } });
            expect((account?.lastTest as { status?: string } | null)?.status).not.toBe("running");
          },
          { timeout: 25_000, interval: 200 },
        );
      }
      return result;
    }) as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ accountId: "210987654321" }),
  },
  deleteAwsAccountAction: {
    action: (async (input: never) => {
      await getDb().awsAccount.upsert({ where: { id: "210987654321" }, create: { id: "210987654321", name: "matrix", roleArn: "arn:aws:iam::210987654321:role/R", regions: [], source: "ui" }, update: {} });
      return deleteAwsAccountAction(input);
    }) as AnyAction,
    allowed: ["admin"],
    input: () => ({ accountId: "210987654321" }),
  },
  updateCollectScheduleAction: {
    action: updateCollectScheduleAction as AnyAction,
    allowed: ["admin"],
    input: () => ({ collectSchedule: `${Math.floor(Math.random() * 60)} */${1 + Math.floor(Math.random() * 12)} * * *` }),
  },
  createExceptionAction: {
    action: createExceptionAction as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ framework: "aws-fsbp", control: "ECR.2", accountId: "", region: "", resourcePattern: "team/*", reason: "Pipelines re-push latest until Q3", owner: "platform", expiresAt: inDays(90) }),
  },
  // Each call revokes a fresh exception (one revoked already is a conflict, not a role check).
  revokeExceptionAction: {
    action: (async (input: never) => revokeExceptionAction(input)) as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ id: freshIds.exception }),
  },
  createAttestationAction: {
    action: createAttestationAction as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ framework: "csa-ccm-v5", control: "IAM-01", text: "IAM policy for ECR reviewed by the security team", expiresAt: inDays(180), file: null }),
  },
  revokeAttestationAction: {
    action: (async (input: never) => revokeAttestationAction(input)) as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ id: freshIds.attestation }),
  },
  updateComplianceSettingsAction: {
    action: updateComplianceSettingsAction as AnyAction,
    allowed: ["admin", "security"],
    input: () => ({ thresholds: { ...DEFAULT_COMPLIANCE_THRESHOLDS, scanStalenessDays: 1 + Math.floor(Math.random() * 300) }, vulnerabilityThreshold: "HIGH", trustedAccounts: [], resultRetentionRuns: 30 }),
  },
  createEvidenceExportAction: {
    action: createEvidenceExportAction as AnyAction,
    allowed: ["admin", "security", "auditor"],
    input: () => ({ framework: "aws-fsbp", format: "pdf", accounts: "", regions: "", runId: "" }),
  },
  changeOwnPasswordAction: {
    action: changeOwnPasswordAction as AnyAction,
    allowed: ["admin", "security", "finops", "auditor"],
    input: () => ({ currentPassword: "initial password", newPassword: "initial password" + "x" }),
  },
};

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Rows the revoke actions act on, created before each call. */
const freshIds = { exception: "", attestation: "" };

// Actions that are public by nature: the sign-in forms, and sign-out (which only ends the caller's own session).
const PUBLIC_ACTIONS = ["signInAction", "signInWithOidcAction", "signOutAction"];


const changes = async () => getDb().auditLog.count({ where: { action: { not: "auth.sign_in" } } });

beforeAll(async () => {
  for (const role of ["admin", "security", "finops", "auditor"] as Role[]) {
    const u = await createUser({ email: `${role}@example.com`, role, passwordHash: await hashPassword("initial password") }, SYSTEM_ACTOR);
    users[role] = { id: u.id, email: u.email, name: null, role, sessionToken: `token-${role}` };
  }
});

describe("every server action checks the caller's role itself", () => {
  it("the matrix lists every server action in lib/actions", async () => {
    expect(await serverActionNames()).toEqual([...Object.keys(MATRIX), ...PUBLIC_ACTIONS].sort());
  });

  for (const [name, { action, allowed, input }] of Object.entries(MATRIX)) {
    describe(name, () => {
      for (const caller of CALLERS) {
        const expected = allowed.includes(caller) ? "allowed" : caller === "anonymous" ? "unauthenticated" : "forbidden";
        it(`${caller}: ${expected}`, async () => {
          targetId = (await createUser({ email: `target-${Math.random().toString(36).slice(2)}@example.com`, role: "auditor", passwordHash: await hashPassword("initial password") }, SYSTEM_ACTOR)).id;
          freshIds.exception = (
            await getDb().complianceException.create({ data: { framework: "aws-fsbp", control: "ECR.2", resourcePattern: "*", reason: "matrix", owner: "matrix", expiresAt: new Date(Date.now() + 86_400_000), createdBy: "matrix" } })
          ).id;
          freshIds.attestation = (
            await getDb().attestation.create({ data: { framework: "csa-ccm-v5", control: "IAM-01", text: "matrix", attester: "matrix", expiresAt: new Date(Date.now() + 86_400_000) } })
          ).id;
          session.user = caller === "anonymous" ? null : users[caller]!;
          const before = await changes();
          const result = await action(input() as never);
          if (expected === "allowed") {
            expect(result.serverError).toBeUndefined();
            expect(result.validationErrors).toBeUndefined();
            // An allowed change is written to the audit log.
            expect(await changes()).toBeGreaterThan(before);
          } else {
            expect(result.serverError?.code).toBe(expected);
            expect(result.data).toBeUndefined();
            expect(await changes()).toBe(before);
          }
        });
      }
    });
  }
});

describe("what the user-management actions refuse", () => {
  it("names the field that is wrong and stores nothing", async () => {
    session.user = users.admin!;
    const before = await getDb().user.count();
    const result = await createUserAction({ email: "not-an-email", role: "superuser" as Role, password: "short" });
    expect(result.validationErrors).toMatchObject({
      fieldErrors: { email: ["Enter a valid email address"], role: ["Choose a role"], password: ["must be at least 12 characters"] },
    });
    expect(await getDb().user.count()).toBe(before);
  });

  it("does not let an admin disable themselves", async () => {
    session.user = users.admin!;
    const result = await setUserDisabledAction({ userId: users.admin!.id, disabled: true });
    expect(result.serverError).toEqual({ code: "invalid", message: "You cannot disable yourself" });
  });

  it("returns a generated password once, and the user can sign in with it", async () => {
    session.user = users.admin!;
    const result = await createUserAction({ email: "generated@example.com", role: "finops" });
    const password = result.data?.generatedPassword;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const { checkCredentials } = await import("@/lib/auth/credentials");
    expect(await checkCredentials("generated@example.com", password!, "10.9.9.9")).toMatchObject({ kind: "ok" });
  });

  it("refuses a wrong current password when changing one's own", async () => {
    session.user = users.finops!;
    const result = await changeOwnPasswordAction({ currentPassword: "not my password", newPassword: "a brand new password" });
    expect(result.serverError).toEqual({ code: "invalid", message: "Your current password is not correct" });
  });

  it("refuses unknown regions in settings, naming them", async () => {
    session.user = users.admin!;
    const result = await updateSettingsAction({ organisationName: "Acme", defaultRegions: "eu-west-1, mars-north-1" });
    expect(result.validationErrors).toMatchObject({ fieldErrors: { defaultRegions: ['"mars-north-1" is not a known AWS region'] } });
  });
});
