import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    /** Names the server-side Session row; lib/auth/session.ts decides from that row. */
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
  }
}
