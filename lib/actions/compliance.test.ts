import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { DEFAULT_COMPLIANCE_THRESHOLDS } from "@/lib/settings";
import { withTestDatabase } from "@/test/database";
import { dottedValidationErrors } from "./safe-action";

// The session a browser would carry; the guard, the actions and the database are real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const { createExceptionAction, createAttestationAction, updateComplianceSettingsAction } = await import("./compliance");

withTestDatabase();

const security: SessionUser = { id: "user-security", email: "security@example.com", name: null, role: "security", sessionToken: "token-security" };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const valid = { framework: "aws-fsbp", control: "ECR.2", accountId: "", region: "", resourcePattern: "team/*", reason: "Pipelines re-push latest until Q3", owner: "platform", expiresAt: day(30) };
const stored = async () => ({ exceptions: await getDb().complianceException.count(), attestations: await getDb().attestation.count(), settings: await getDb().setting.count(), audit: await getDb().auditLog.count() });

describe("what the compliance actions refuse", () => {
  it.each([
    ["an expiry more than a year ahead", { expiresAt: day(400) }, "expiresAt", /at most one year ahead/],
    ["an expiry in the past", { expiresAt: day(-1) }, "expiresAt", /must be in the future/],
    ["a date that does not exist", { expiresAt: "2027-02-30" }, "expiresAt", /is not a calendar date/],
    ["a malformed account id", { accountId: "12345" }, "accountId", /12 digits/],
    ["an unknown region", { region: "moon-1" }, "region", /must be an AWS region/],
    ["an injection string as the pattern", { resourcePattern: "'; DROP TABLE \"ComplianceException\"; --" }, "resourcePattern", /may hold letters, digits/],
    ["a reason too short to say why", { reason: "ok" }, "reason", /at least 10 characters/],
    ["a huge reason", { reason: "x".repeat(5000) }, "reason", /at most 2000 characters/],
  ])("an exception with %s, naming the field and storing nothing", async (_, change, field, message) => {
    session.user = security;
    const before = await stored();
    const result = await createExceptionAction({ ...valid, ...change } as never);
    expect((result.validationErrors?.fieldErrors as Record<string, string[]>)?.[field]?.[0]).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it("an exception for a control that is not in the framework", async () => {
    session.user = security;
    const before = await stored();
    const result = await createExceptionAction({ ...valid, control: "ECR.9" });
    expect(result.serverError).toEqual({ code: "invalid", message: 'control "ECR.9" is not in AWS Foundational Security Best Practices' });
    expect(await stored()).toEqual(before);
  });

  it("an attestation for a control decided by its checks, or with a file that is not base64", async () => {
    session.user = security;
    const before = await stored();
    const checksOnly = await createAttestationAction({ framework: "aws-fsbp", control: "ECR.1", text: "We scan everything we push", expiresAt: day(30), file: null });
    expect(checksOnly.serverError?.message).toMatch(/ECR.1 has no attestation item/);
    const badFile = await createAttestationAction({ framework: "csa-ccm-v5", control: "IAM-01", text: "Access policy reviewed quarterly", expiresAt: day(30), file: { name: "review.pdf", type: "application/pdf", base64: "not base64!" } });
    expect(badFile.validationErrors?.fieldErrors).toEqual({ "file.base64": ["file is not base64"] });
    expect(await stored()).toEqual(before);
  });

  it("a threshold out of range, named by its path", async () => {
    session.user = security;
    const before = await stored();
    const result = await updateComplianceSettingsAction({ thresholds: { ...DEFAULT_COMPLIANCE_THRESHOLDS, scanStalenessDays: 0, prodNamePatterns: ["ok", "bad pattern!"] }, vulnerabilityThreshold: "HIGH", trustedAccounts: ["123"], resultRetentionRuns: 30 });
    expect(result.validationErrors?.fieldErrors).toMatchObject({
      "thresholds.scanStalenessDays": ["must be at least 1 day"],
      "thresholds.prodNamePatterns.1": [expect.stringMatching(/may hold letters/)],
      "trustedAccounts.0": [expect.stringMatching(/12 digits/)],
    });
    expect(await stored()).toEqual(before);
  });
});

describe("dottedValidationErrors", () => {
  it("keeps every message, named by its path", () => {
    expect(dottedValidationErrors({ _errors: ["whole form"], a: { _errors: ["top"] }, b: { c: { _errors: ["nested"] } }, d: [{ _errors: ["first"] }, undefined, { e: { _errors: ["deep"] } }] })).toEqual({
      formErrors: ["whole form"],
      fieldErrors: { a: ["top"], "b.c": ["nested"], "d.0": ["first"], "d.2.e": ["deep"] },
    });
  });
});
