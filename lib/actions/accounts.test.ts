import { beforeAll, describe, expect, it, vi } from "vitest";
import { actionErrorMessage } from "@/components/ui/action-result";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import type { ConnectionTestResult, TestConnectionOptions } from "@/lib/aws/test-connection";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { getAwsAccount } from "@/lib/db/aws-accounts";
import type { SessionUser } from "@/lib/db/sessions";
import { getSettings } from "@/lib/db/settings";
import { createUser } from "@/lib/db/users";
import { withTestDatabase } from "@/test/database";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// AWS is not called here: each test decides what the connection test answers, and when.
const aws = vi.hoisted(() => ({
  calls: [] as TestConnectionOptions[],
  answer: (() => Promise.reject(new Error("no answer set"))) as (o: TestConnectionOptions) => Promise<ConnectionTestResult>,
}));
vi.mock("@/lib/aws/test-connection", () => ({
  testConnection: (options: TestConnectionOptions) => {
    aws.calls.push(options);
    return aws.answer(options);
  },
}));

const { createAwsAccountAction, updateAwsAccountAction, deleteAwsAccountAction, testConnectionAction, updateCollectScheduleAction } = await import("./accounts");
const { GET } = await import("@/app/api/accounts/[id]/connection-test/route");

withTestDatabase();

const users: Partial<Record<Role, SessionUser>> = {};
const as = (role: Role | null) => {
  session.user = role ? users[role]! : null;
};

beforeAll(async () => {
  for (const role of ["admin", "security", "finops"] as Role[]) {
    const u = await createUser({ email: `${role}@example.com`, role, passwordHash: await hashPassword("initial password") }, SYSTEM_ACTOR);
    users[role] = { id: u.id, email: u.email, name: null, role, sessionToken: `token-${role}` };
  }
});

const poll = (id: string) => GET(new Request(`http://localhost/api/accounts/${id}/connection-test`), { params: Promise.resolve({ id }) });

describe("account forms", () => {
  it("names each bad field in words the form shows next to it", async () => {
    as("admin");
    const result = await createAwsAccountAction({
      accountId: "12345",
      name: "",
      environment: "Prod Env",
      roleArn: "arn:aws:iam::123:role/R",
      regions: "us-east-1, mars-north-1",
    });
    expect(result.validationErrors?.fieldErrors).toEqual({
      accountId: ["must be exactly 12 digits"],
      name: ["must not be empty"],
      environment: ["must be a short lowercase word such as prod, staging, dev, shared or unknown"],
      roleArn: ['must name a 12-digit account id after "iam::"'],
      regions: ['"mars-north-1" is not a known AWS region'],
    });
    expect(actionErrorMessage(result, { accountId: "Account id" })).toMatch(/^Account id must be exactly 12 digits/);
  });

  it("refuses a role in another account, on the role field", async () => {
    as("admin");
    const result = await createAwsAccountAction({ accountId: "111111111111", name: "a", environment: "dev", roleArn: "arn:aws:iam::222222222222:role/R", regions: "" });
    expect(result.validationErrors?.fieldErrors).toEqual({
      roleArn: ["is in account 222222222222, but the account id is 111111111111: the role must be in the account it reads"],
    });
    expect(await getAwsAccount("111111111111")).toBeNull();
  });

  it("adds, edits and removes an account; a second add of the same id is a conflict", async () => {
    as("admin");
    const input = { accountId: "111111111111", name: "prod", environment: "prod", roleArn: "arn:aws:iam::111111111111:role/R", regions: "eu-west-1 us-east-1" };
    expect((await createAwsAccountAction(input)).data).toEqual({ accountId: "111111111111", name: "prod" });
    expect(await getAwsAccount("111111111111")).toMatchObject({ regions: ["eu-west-1", "us-east-1"], source: "ui" });
    expect((await createAwsAccountAction(input)).serverError).toEqual({ code: "conflict", message: "Account 111111111111 is already listed (as prod, from the Accounts page)" });

    await updateAwsAccountAction({ ...input, name: "prod-core", regions: "" });
    expect(await getAwsAccount("111111111111")).toMatchObject({ name: "prod-core", regions: [] });
    await deleteAwsAccountAction({ accountId: "111111111111" });
    expect(await getAwsAccount("111111111111")).toBeNull();
    expect((await deleteAwsAccountAction({ accountId: "111111111111" })).serverError?.code).toBe("not_found");
  });
});

describe("Test connection", () => {
  it("returns at once, runs in the background, and the poller sees running then the result", async () => {
    as("admin");
    await createAwsAccountAction({ accountId: "222222222222", name: "dev", environment: "dev", roleArn: "arn:aws:iam::222222222222:role/R", regions: "" });
    let answer!: (result: ConnectionTestResult) => void;
    aws.answer = () => new Promise((resolve) => (answer = resolve));

    as("security");
    const started = await testConnectionAction({ accountId: "222222222222" });
    expect(started.data?.accountId).toBe("222222222222");
    const { defaultRegions } = await getSettings();
    expect(aws.calls.at(-1)).toEqual({ roleArn: "arn:aws:iam::222222222222:role/R", externalId: expect.stringMatching(/^pw-/), regions: defaultRegions });

    let body = await (await poll("222222222222")).json();
    expect(body.lastTest).toMatchObject({ status: "running", requestedBy: "security@example.com" });

    const failure = { accountId: "222222222222", region: "us-east-1", service: "ecr", operation: "DescribeRegistry", errorName: "AccessDeniedException", message: "User is not authorized to perform: ecr:DescribeRegistry", kind: "access-denied" as const };
    answer({
      assumeRole: { ok: true, identityArn: "arn:aws:sts::222222222222:assumed-role/R/portwatch" },
      regions: [{ region: "us-east-1", ok: false, operation: "ecr:DescribeRegistry", failure }],
    });
    await vi.waitFor(async () => {
      body = await (await poll("222222222222")).json();
      expect(body.lastTest.status).toBe("finished");
    });
    expect(body.lastTest).toMatchObject({
      ok: false,
      assumeRole: { ok: true, identityArn: "arn:aws:sts::222222222222:assumed-role/R/portwatch" },
      regionResults: [{ region: "us-east-1", ok: false, operation: "ecr:DescribeRegistry", failure: { errorName: "AccessDeniedException", message: failure.message } }],
    });
  });

  it("stores why a test could not run", async () => {
    as("admin");
    aws.answer = () => Promise.reject(new Error("Could not load credentials from any providers"));
    await testConnectionAction({ accountId: "222222222222" });
    await vi.waitFor(async () => {
      const body = await (await poll("222222222222")).json();
      expect(body.lastTest).toMatchObject({ status: "error", message: "The test could not run: Could not load credentials from any providers" });
    });
  });

  it("the poll endpoint checks the role itself", async () => {
    as(null);
    expect((await poll("222222222222")).status).toBe(401);
    as("finops");
    expect((await poll("222222222222")).status).toBe(403);
    as("admin");
    expect((await poll("999999999999")).status).toBe(404);
    expect((await poll("nope")).status).toBe(400);
  });
});

describe("collection schedule", () => {
  it("saves a 5-field cron expression and refuses anything else, naming the field", async () => {
    as("admin");
    expect((await updateCollectScheduleAction({ collectSchedule: "0 0 * * * *" })).validationErrors?.fieldErrors).toEqual({
      collectSchedule: ["must have 5 fields (minute hour day-of-month month day-of-week), not 6; for example 0 */6 * * *"],
    });
    expect((await updateCollectScheduleAction({ collectSchedule: "15 3 * * *" })).data).toEqual({ changed: ["collectSchedule"] });
    expect((await getSettings()).collectSchedule).toBe("15 3 * * *");
  });
});
