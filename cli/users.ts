import os from "node:os";
import { z } from "zod";
import { generatePassword, hashPassword, passwordSchema } from "@/lib/auth/password";
import { isRole, ROLES, type Role } from "@/lib/auth/roles";
import type { Actor } from "@/lib/db/audit";
import { disconnectDb, connectDatabase } from "@/lib/db/client";
import { createUser, getUserByEmail, listUsers, setUserDisabled, setUserPassword, updateUserRole } from "@/lib/db/users";
import type { Env } from "@/lib/env";
import { hiddenCharacterProblem } from "@/lib/actions/text.schema";
import { AppError } from "@/lib/errors";
import { CliError, parseCommandArgs, readStdinSecret } from "./args";
import { openDatabase } from "./database";
import { applyMigrations } from "./migrate";

export const USERS_HELP = `Usage: portwatch users <command> [options]

Commands:
  list                                   list users
  add --email E --role R [--name N]      add a local user; prints a generated password
      [--password-stdin]                   or reads one from standard input
  set-role --email E --role R            change a user's role
  reset-password --email E               set a new password (generated and printed,
      [--password-stdin]                   or read from standard input); ends their sessions
  disable --email E | enable --email E   stop or allow a user signing in

Roles: ${ROLES.join(", ")}. Passwords are at least 12 characters.
Changes are written to the audit log as "cli:<your OS user>".`;

const emailSchema = z.email();

function requireEmail(value: string | undefined): string {
  if (!value) throw new CliError("--email is required");
  if (!emailSchema.safeParse(value).success) throw new CliError(`--email must be an email address, not "${value}"`);
  return value.toLowerCase();
}

function requireRoleArg(value: string | undefined): Role {
  if (!value) throw new CliError(`--role is required (${ROLES.join(", ")})`);
  if (!isRole(value)) throw new CliError(`--role must be one of ${ROLES.join(", ")}, not "${value}"`);
  return value;
}

async function passwordFrom(stdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  if (!stdin) return { password: generatePassword(), generated: true };
  const password = await readStdinSecret();
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) throw new CliError(`the password ${parsed.error.issues[0].message}`);
  return { password, generated: false };
}

async function findUser(email: string) {
  const user = await getUserByEmail(email);
  if (!user) throw new CliError(`no user with email ${email}`);
  return user;
}

export async function usersCommand(argv: string[], env: Env): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    console.log(USERS_HELP);
    return sub ? 0 : 1;
  }
  const commands = ["list", "add", "set-role", "reset-password", "disable", "enable"];
  if (!commands.includes(sub)) throw new CliError(`users: unknown command "${sub}" (one of ${commands.join(", ")})`);
  const { values } = parseCommandArgs(`users ${sub}`, rest, {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    "password-stdin": { type: "boolean" },
  });
  if (values.help) {
    console.log(USERS_HELP);
    return 0;
  }
  // Validate every argument before touching the database.
  const email = sub === "list" ? undefined : requireEmail(values.email);
  const role = sub === "add" || sub === "set-role" ? requireRoleArg(values.role) : undefined;
  if (values.name !== undefined && values.name.length > 120) throw new CliError("--name must be at most 120 characters");
  // The same rule as the Users page: the name is shown to people, so nothing hidden in it.
  const nameProblem = values.name === undefined ? null : hiddenCharacterProblem(values.name);
  if (nameProblem) throw new CliError(`--name ${nameProblem}`);
  const secret = sub === "add" || sub === "reset-password" ? await passwordFrom(values["password-stdin"]) : undefined;

  const actor: Actor = { id: null, email: `cli:${os.userInfo().username}` };
  const db = await openDatabase(env);
  try {
    await applyMigrations(db.url, () => undefined);
    connectDatabase(db.url);
    switch (sub) {
      case "list": {
        const users = await listUsers();
        for (const u of users) {
          console.log(`${u.email.padEnd(36)} ${u.role.padEnd(9)} ${u.disabled ? "disabled" : "active  "} ${u.hasPassword ? "password" : "sso"}`);
        }
        if (users.length === 0) console.log("No users yet: serve or demo creates the first admin.");
        break;
      }
      case "add": {
        await createUser({ email: email!, name: values.name ?? null, role: role!, passwordHash: await hashPassword(secret!.password) }, actor);
        console.log(`Added ${email} (${role}).`);
        if (secret!.generated) console.log(`Password (shown only now): ${secret!.password}`);
        break;
      }
      case "set-role": {
        const user = await findUser(email!);
        await updateUserRole(user.id, role!, actor);
        console.log(`${email} is now ${role}.`);
        break;
      }
      case "reset-password": {
        const user = await findUser(email!);
        await setUserPassword(user.id, await hashPassword(secret!.password), actor);
        console.log(`Password of ${email} reset; their sessions were ended.`);
        if (secret!.generated) console.log(`New password (shown only now): ${secret!.password}`);
        break;
      }
      case "disable":
      case "enable": {
        const user = await findUser(email!);
        await setUserDisabled(user.id, sub === "disable", actor);
        console.log(`${email} is ${sub}d.`);
        break;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.message);
    throw error;
  } finally {
    await disconnectDb();
    await db.close();
  }
  return 0;
}
