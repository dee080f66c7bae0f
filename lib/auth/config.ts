import "server-only";
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { recordAuditEvent } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { createSession, deleteSession } from "@/lib/db/sessions";
import { env, oidcEnabled } from "@/lib/env";
import { clientIp } from "./client-ip";
import { checkCredentials, credentialsSchema } from "./credentials";

export class SignInRateLimited extends CredentialsSignin {
  code = "rate_limited";
}

async function requestClient(): Promise<{ ip?: string; userAgent?: string }> {
  try {
    const h = await headers();
    return { ip: clientIp(h, env().PORTWATCH_TRUST_PROXY), userAgent: h.get("user-agent") ?? undefined };
  } catch {
    return {};
  }
}

function buildConfig(): NextAuthConfig {
  const e = env();
  const maxAge = e.PORTWATCH_SESSION_HOURS * 3600;
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const ip = clientIp(request.headers, e.PORTWATCH_TRUST_PROXY);
        const result = await checkCredentials(parsed.data.email, parsed.data.password, ip);
        if (result.kind === "rate_limited") throw new SignInRateLimited();
        if (result.kind === "invalid") return null;
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (oidcEnabled(e)) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
    });
  }

  const adapter = PrismaAdapter(getDb());
  return {
    // The adapter creates and links people who sign in through OIDC; sessions are our own rows.
    adapter: {
      ...adapter,
      createUser: (user) =>
        adapter.createUser!({ ...user, role: e.AUTH_OIDC_DEFAULT_ROLE } as Parameters<NonNullable<typeof adapter.createUser>>[0]),
    },
    providers,
    secret: e.AUTH_SECRET,
    // `portwatch serve` always sets AUTH_URL, and Auth.js builds every redirect from it, so the
    // Host header is never used to decide where a browser goes (STACK.md, trap 4).
    trustHost: true,
    session: { strategy: "jwt", maxAge },
    pages: { signIn: "/login", error: "/login" },
    logger: {
      // Auth.js logs credentials errors with their stack; a wrong password is not a server error.
      error(error) {
        const type = (error as { type?: string }).type ?? error.name;
        if (type === "CredentialsSignin") return;
        console.error(`[auth] ${type}: ${error.message.split(". Read more")[0]}`);
      },
      warn() {},
      debug() {},
    },
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        // An OIDC identity for a disabled Portwatch user is refused.
        if (user.email) {
          const existing = await getDb().user.findUnique({ where: { email: user.email.toLowerCase() }, select: { disabled: true } });
          if (existing?.disabled) return false;
        }
        return true;
      },
      async jwt({ token, user, account }) {
        if (user?.id) {
          token.sid = await createSession(user.id, maxAge, await requestClient());
          if (account?.provider !== "credentials") {
            await recordAuditEvent({ id: user.id, email: user.email ?? "unknown" }, {
              action: "auth.sign_in",
              targetType: "user",
              targetId: user.id,
              details: { method: account?.provider ?? "oidc" },
            });
          }
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, sid: token.sid };
      },
    },
    events: {
      async signOut(message) {
        if ("token" in message && message.token?.sid) await deleteSession(message.token.sid);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
