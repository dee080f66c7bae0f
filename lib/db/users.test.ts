import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/database";
import { type Actor, listAuditLog } from "./audit";
import { getDb } from "./client";
import { createSession, getSessionUser } from "./sessions";
import { createInitialAdmin, createUser, setUserDisabled, setUserPassword, updateUserRole } from "./users";

withTestDatabase();

const cli: Actor = { id: null, email: "cli:test" };

describe("users", () => {
  it("creates the first admin once, and only while there is none", async () => {
    const admin = await createInitialAdmin("Root@Example.com", "hash", cli);
    expect(admin).toMatchObject({ email: "root@example.com", role: "admin" });
    expect(await createInitialAdmin("other@example.com", "hash", cli)).toBeNull();
    expect(await getDb().user.count({ where: { role: "admin" } })).toBe(1);
  });

  it("refuses a duplicate email whatever its case", async () => {
    await createUser({ email: "dup@example.com", role: "auditor", passwordHash: "h" }, cli);
    await expect(createUser({ email: "DUP@example.com", role: "finops", passwordHash: "h" }, cli)).rejects.toThrow(
      "A user with email dup@example.com already exists",
    );
  });

  it("never leaves the installation without an active admin", async () => {
    const root = (await getDb().user.findUniqueOrThrow({ where: { email: "root@example.com" } })).id;
    await expect(updateUserRole(root, "auditor", cli)).rejects.toMatchObject({ code: "last_admin" });
    await expect(setUserDisabled(root, true, cli)).rejects.toMatchObject({ code: "last_admin" });

    const second = await createUser({ email: "second-admin@example.com", role: "admin", passwordHash: "h" }, cli);
    // Two admins demoting each other at the same moment: one must fail.
    const outcomes = await Promise.allSettled([updateUserRole(root, "security", cli), updateUserRole(second.id, "security", cli)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await getDb().user.count({ where: { role: "admin", disabled: false } })).toBe(1);
  });

  it("ends every session of a user who is disabled or whose password is reset", async () => {
    const user = await createUser({ email: "leaver@example.com", role: "finops", passwordHash: "h" }, cli);
    const token = await createSession(user.id, 3600);
    expect(await getSessionUser(token)).toMatchObject({ email: "leaver@example.com", role: "finops" });

    await setUserDisabled(user.id, true, cli);
    expect(await getSessionUser(token)).toBeNull();

    await setUserDisabled(user.id, false, cli);
    const keep = await createSession(user.id, 3600);
    const other = await createSession(user.id, 3600);
    await setUserPassword(user.id, "new-hash", { id: user.id, email: user.email }, { keepSessionToken: keep });
    expect(await getSessionUser(keep)).not.toBeNull();
    expect(await getSessionUser(other)).toBeNull();
  });

  it("does not accept an expired session", async () => {
    const user = await createUser({ email: "expired@example.com", role: "auditor", passwordHash: "h" }, cli);
    const token = await createSession(user.id, -1);
    expect(await getSessionUser(token)).toBeNull();
  });

  it("writes who changed what to the audit log, which refuses edits", async () => {
    const user = await createUser({ email: "audited@example.com", role: "auditor", passwordHash: "h" }, cli);
    await updateUserRole(user.id, "security", { id: "admin-id", email: "boss@example.com" });
    const [latest] = await listAuditLog({ limit: 1 });
    expect(latest).toMatchObject({
      actorEmail: "boss@example.com",
      action: "user.role_change",
      targetType: "user",
      targetId: user.id,
      details: { email: "audited@example.com", from: "auditor", to: "security" },
    });
    await expect(getDb().auditLog.updateMany({ data: { actorEmail: "someone-else" } })).rejects.toThrow(/append-only/);
    await expect(getDb().auditLog.deleteMany({})).rejects.toThrow(/append-only/);
    expect((await listAuditLog({ limit: 1 }))[0].actorEmail).toBe("boss@example.com");
  });
});
