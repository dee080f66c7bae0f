import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, passwordSchema, verifyPassword } from "./password";

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "correct horse battery")).toBe(true);
    expect(await verifyPassword(stored, "correct horse batterx")).toBe(false);
  });

  it("answers false, not an error, for a malformed stored hash", async () => {
    expect(await verifyPassword("not-a-hash", "anything at all")).toBe(false);
  });

  it("generates distinct passwords that meet the policy", () => {
    const a = generatePassword();
    expect(passwordSchema.safeParse(a).success).toBe(true);
    expect(a).not.toBe(generatePassword());
  });

  it("refuses passwords shorter than 12 characters, naming the rule", () => {
    const result = passwordSchema.safeParse("elevenchars");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe("must be at least 12 characters");
  });
});
