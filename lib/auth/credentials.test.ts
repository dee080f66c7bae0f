import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/db/audit";
import { createUser, setUserDisabled } from "@/lib/db/users";
import { withTestDatabase } from "@/test/database";
import { checkCredentials } from "./credentials";
import { hashPassword } from "./password";

withTestDatabase();

describe("checkCredentials", () => {
  it("signs in with the right password and refuses a wrong one, an unknown email and a disabled user alike", async () => {
    const user = await createUser({ email: "grace@example.com", role: "security", passwordHash: await hashPassword("right password 1") }, SYSTEM_ACTOR);
    expect(await checkCredentials("grace@example.com", "right password 1", "10.1.1.1")).toMatchObject({
      kind: "ok",
      user: { email: "grace@example.com", role: "security" },
    });
    expect(await checkCredentials("grace@example.com", "wrong password 1", "10.1.1.1")).toEqual({ kind: "invalid" });
    expect(await checkCredentials("nobody@example.com", "right password 1", "10.1.1.1")).toEqual({ kind: "invalid" });
    await setUserDisabled(user.id, true, SYSTEM_ACTOR);
    expect(await checkCredentials("grace@example.com", "right password 1", "10.1.1.1")).toEqual({ kind: "invalid" });
  });

  it("stops checking passwords after 5 failures: even the right one is refused until the minute passes", async () => {
    await createUser({ email: "heidi@example.com", role: "finops", passwordHash: await hashPassword("right password 2") }, SYSTEM_ACTOR);
    for (let i = 0; i < 5; i++) await checkCredentials("heidi@example.com", `guess number ${i}`, "10.2.2.2");
    expect(await checkCredentials("heidi@example.com", "right password 2", "10.2.2.2")).toMatchObject({ kind: "rate_limited" });
    expect(await checkCredentials("heidi@example.com", "right password 2", "10.3.3.3")).toMatchObject({ kind: "ok" });
  });
});
