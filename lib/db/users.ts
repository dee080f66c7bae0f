import "server-only";
import type { Role } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
}

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  passwordHash: true,
  lastSignInAt: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

function toRow({ passwordHash, ...user }: Prisma.UserGetPayload<{ select: typeof userSelect }>): UserRow {
  return { ...user, hasPassword: passwordHash !== null };
}

export async function listUsers(): Promise<UserRow[]> {
  const users = await getDb().user.findMany({ select: userSelect, orderBy: { email: "asc" } });
  return users.map(toRow);
}

export async function getUserById(id: string): Promise<UserRow | null> {
  const user = await getDb().user.findUnique({ where: { id }, select: userSelect });
  return user ? toRow(user) : null;
}

export async function getUserByEmail(email: string): Promise<UserRow | null> {
  const user = await getDb().user.findUnique({ where: { email: email.toLowerCase() }, select: userSelect });
  return user ? toRow(user) : null;
}

/** For sign-in only: the stored hash never leaves lib/auth. */
export async function getCredentialsByEmail(email: string) {
  return getDb().user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, email: true, name: true, role: true, disabled: true, passwordHash: true },
  });
}

export async function recordSignIn(userId: string): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
}

export interface CreateUserInput {
  email: string;
  name?: string | null;
  role: Role;
  passwordHash: string | null;
}

export async function createUser(input: CreateUserInput, actor: Actor): Promise<UserRow> {
  const email = input.email.toLowerCase();
  return getDb().$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (existing) throw new AppError("conflict", `A user with email ${email} already exists`);
    const user = await tx.user.create({
      data: { email, name: input.name ?? null, role: input.role, passwordHash: input.passwordHash },
      select: userSelect,
    });
    await writeAudit(tx, actor, {
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      details: { email, role: input.role },
    });
    return toRow(user);
  });
}

// Changes to who is an admin are serialised so two admins demoting each other at once cannot
// leave the installation without one.
const ADMIN_LOCK = 727_274_664;

async function lockedTarget(tx: Prisma.TransactionClient, userId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK})`;
  const user = await tx.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user) throw new AppError("not_found", "No such user");
  return user;
}

async function assertAnotherActiveAdmin(tx: Prisma.TransactionClient, userId: string) {
  const others = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) {
    throw new AppError("last_admin", "This is the only active admin: make another user an admin first");
  }
}

export async function updateUserRole(userId: string, role: Role, actor: Actor): Promise<UserRow> {
  return getDb().$transaction(async (tx) => {
    const user = await lockedTarget(tx, userId);
    if (user.role === role) return toRow(user);
    if (user.role === "admin" && !user.disabled) await assertAnotherActiveAdmin(tx, userId);
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: userSelect });
    await writeAudit(tx, actor, {
      action: "user.role_change",
      targetType: "user",
      targetId: userId,
      details: { email: user.email, from: user.role, to: role },
    });
    return toRow(updated);
  });
}

export async function setUserDisabled(userId: string, disabled: boolean, actor: Actor): Promise<UserRow> {
  return getDb().$transaction(async (tx) => {
    const user = await lockedTarget(tx, userId);
    if (user.disabled === disabled) return toRow(user);
    if (disabled && user.role === "admin") await assertAnotherActiveAdmin(tx, userId);
    const updated = await tx.user.update({ where: { id: userId }, data: { disabled }, select: userSelect });
    // A disabled user is signed out everywhere at once.
    if (disabled) await tx.session.deleteMany({ where: { userId } });
    await writeAudit(tx, actor, {
      action: disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: userId,
      details: { email: user.email },
    });
    return toRow(updated);
  });
}

export async function setUserPassword(
  userId: string,
  passwordHash: string,
  actor: Actor,
  { keepSessionToken }: { keepSessionToken?: string } = {},
): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user) throw new AppError("not_found", "No such user");
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    // Whoever knew the old password is signed out; the person changing their own keeps this browser.
    await tx.session.deleteMany({
      where: { userId, ...(keepSessionToken ? { sessionToken: { not: keepSessionToken } } : {}) },
    });
    await writeAudit(tx, actor, {
      action: actor.id === userId ? "user.password_change" : "user.password_reset",
      targetType: "user",
      targetId: userId,
      details: { email: user.email },
    });
  });
}

/**
 * Creates the first admin when the installation has none. Returns the new user, or null when an
 * admin already exists.
 */
export async function createInitialAdmin(email: string, passwordHash: string, actor: Actor): Promise<UserRow | null> {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK})`;
    const admins = await tx.user.count({ where: { role: "admin" } });
    if (admins > 0) return null;
    const address = email.toLowerCase();
    const existing = await tx.user.findUnique({ where: { email: address }, select: { id: true } });
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: "admin", passwordHash, disabled: false }, select: userSelect })
      : await tx.user.create({ data: { email: address, name: "Administrator", role: "admin", passwordHash }, select: userSelect });
    await writeAudit(tx, actor, {
      action: "user.create_initial_admin",
      targetType: "user",
      targetId: user.id,
      details: { email: address },
    });
    return toRow(user);
  });
}
