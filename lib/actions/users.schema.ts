import { z } from "zod";
import { passwordSchema } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/roles";
import { plainText } from "./text.schema";

// Ids are cuid-like; anything else (a NUL byte, a path) is refused before it reaches a query.
const userId = z.string().min(1, "User is required").max(64, "User id is too long").regex(/^[A-Za-z0-9_-]+$/, "User id is not valid");
// An empty field means "generate one for me".
const optionalPassword = z
  .string()
  .max(256)
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v))
  .pipe(passwordSchema.optional());

export const createUserSchema = z.object({
  email: z.email("Enter a valid email address").max(320).transform((v) => v.toLowerCase()),
  name: plainText(z.string().trim().max(120, "Name must be at most 120 characters")).optional(),
  role: z.enum(ROLES, "Choose a role"),
  password: optionalPassword,
});

export const updateUserRoleSchema = z.object({ userId, role: z.enum(ROLES, "Choose a role") });

export const setUserDisabledSchema = z.object({ userId, disabled: z.boolean() });

export const resetUserPasswordSchema = z.object({ userId, password: optionalPassword });

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(256),
    newPassword: passwordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    message: "must differ from the current password",
  });
