import "server-only";
import { cache } from "react";
import { getSessionUser, type SessionUser } from "@/lib/db/sessions";
import { auth } from "./config";

export type { SessionUser };

/** The signed-in user for this request, decided from the database on every request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  if (!session?.sid) return null;
  return getSessionUser(session.sid);
});
