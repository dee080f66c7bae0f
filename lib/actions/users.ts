"use server";

import { revalidatePath } from "next/cache";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { ANY_ROLE } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { createUser, setUserDisabled, setUserPassword, updateUserRole } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { roleAction } from "./safe-action";
import {
  changeOwnPasswordSchema,
  createUserSchema,
  resetUserPasswordSchema,
  setUserDisabledSchema,
  updateUserRoleSchema,
} from "./users.schema";

const USERS_PAGE = "/settings/users";

/** Returns the generated password when none was given: shown once to the admin, never stored. */
export const createUserAction = roleAction(["admin"])
  .inputSchema(createUserSchema)
  .action(async ({ ctx, parsedInput }) => {
    const password = parsedInput.password ?? generatePassword();
    const user = await createUser(
      { email: parsedInput.email, name: parsedInput.name || null, role: parsedInput.role, passwordHash: await hashPassword(password) },
      ctx.actor,
    );
    revalidatePath(USERS_PAGE);
    return { userId: user.id, email: user.email, generatedPassword: parsedInput.password ? undefined : password };
  });

export const updateUserRoleAction = roleAction(["admin"])
  .inputSchema(updateUserRoleSchema)
  .action(async ({ ctx, parsedInput }) => {
    const user = await updateUserRole(parsedInput.userId, parsedInput.role, ctx.actor);
    revalidatePath(USERS_PAGE);
    return { userId: user.id, role: user.role };
  });

export const setUserDisabledAction = roleAction(["admin"])
  .inputSchema(setUserDisabledSchema)
  .action(async ({ ctx, parsedInput }) => {
    if (parsedInput.disabled && parsedInput.userId === ctx.user.id) {
      throw new AppError("invalid", "You cannot disable yourself");
    }
    const user = await setUserDisabled(parsedInput.userId, parsedInput.disabled, ctx.actor);
    revalidatePath(USERS_PAGE);
    return { userId: user.id, disabled: user.disabled };
  });

export const resetUserPasswordAction = roleAction(["admin"])
  .inputSchema(resetUserPasswordSchema)
  .action(async ({ ctx, parsedInput }) => {
    const password = parsedInput.password ?? generatePassword();
    await setUserPassword(parsedInput.userId, await hashPassword(password), ctx.actor, {
      keepSessionToken: parsedInput.userId === ctx.user.id ? ctx.user.sessionToken : undefined,
    });
    revalidatePath(USERS_PAGE);
    return { generatedPassword: parsedInput.password ? undefined : password };
  });

export const changeOwnPasswordAction = roleAction(ANY_ROLE)
  .inputSchema(changeOwnPasswordSchema)
  .action(async ({ ctx, parsedInput }) => {
    const stored = await getDb().user.findUnique({ where: { id: ctx.user.id }, select: { passwordHash: true } });
    if (!stored?.passwordHash) {
      throw new AppError("invalid", "Your account signs in through single sign-on and has no password here");
    }
    if (!(await verifyPassword(stored.passwordHash, parsedInput.currentPassword))) {
      throw new AppError("invalid", "Your current password is not correct");
    }
    await setUserPassword(ctx.user.id, await hashPassword(parsedInput.newPassword), ctx.actor, {
      keepSessionToken: ctx.user.sessionToken,
    });
    return { changed: true };
  });
