import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/database";
import { clearSignInFailures, getSignInLimit, recordSignInFailure } from "./sign-in-failures";

withTestDatabase();

describe("sign-in rate limit", () => {
  it("limits an email from one address after 5 failures in a minute, and says when to retry", async () => {
    for (let i = 0; i < 4; i++) await recordSignInFailure("Eve@example.com", "10.0.0.1");
    expect(await getSignInLimit("eve@example.com", "10.0.0.1")).toEqual({ limited: false, retryAfterSeconds: 0 });
    await recordSignInFailure("eve@example.com", "10.0.0.1");
    const limit = await getSignInLimit("eve@example.com", "10.0.0.1");
    expect(limit.limited).toBe(true);
    expect(limit.retryAfterSeconds).toBeGreaterThan(50);
    expect(limit.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The same email from another address, and another email from this one, are not locked out.
    expect((await getSignInLimit("eve@example.com", "10.0.0.2")).limited).toBe(false);
    expect((await getSignInLimit("frank@example.com", "10.0.0.1")).limited).toBe(false);
  });

  it("forgets failures older than a minute", async () => {
    for (let i = 0; i < 5; i++) await recordSignInFailure("old@example.com", "10.0.0.3");
    const later = new Date(Date.now() + 61_000);
    expect((await getSignInLimit("old@example.com", "10.0.0.3", later)).limited).toBe(false);
  });

  it("limits one address trying many emails", async () => {
    for (let i = 0; i < 30; i++) await recordSignInFailure(`spray${i}@example.com`, "10.0.0.9");
    expect((await getSignInLimit("anyone@example.com", "10.0.0.9")).limited).toBe(true);
  });

  it("clears an email's failures from an address after a successful sign-in", async () => {
    for (let i = 0; i < 5; i++) await recordSignInFailure("ok@example.com", "10.0.0.4");
    await clearSignInFailures("ok@example.com", "10.0.0.4");
    expect((await getSignInLimit("ok@example.com", "10.0.0.4")).limited).toBe(false);
  });
});
