import { z } from "zod";

/**
 * The one reader of process.env (STYLE.md, habit 1). Every variable Portwatch understands is
 * declared here; a bad value stops start-up with the variable's name and what is wrong.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const port = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? String(fallback) : v))
    .pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, "must be a port number (1-65535)")
        .transform(Number)
        .pipe(z.number().int().min(1, "must be a port number (1-65535)").max(65535, "must be a port number (1-65535)")),
    );

const postgresUrl = optionalString.refine(
  (v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a PostgreSQL URL like postgresql://user:password@host:5432/database" },
);

const httpUrl = optionalString.refine(
  (v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  },
  { message: "must be an http(s) URL" },
);

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? String(fallback) : v))
    .pipe(
      z
        .string()
        .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
        .transform(Number)
        .pipe(z.number().int().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`)),
    );

/**
 * True when the text is the base64 of an Ed25519 private key in PKCS#8 DER: 48 bytes, a fixed
 * 16-byte header naming the algorithm (OID 1.3.101.112) and the 32-byte seed. Checked by shape,
 * without node:crypto, because this module also loads in the Edge runtime (instrumentation).
 */
const ED25519_PKCS8_HEADER = "302e020100300506032b657004220420";
function isEd25519PrivateKeyBase64(text: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  let bytes: string;
  try {
    bytes = atob(text);
  } catch {
    return false;
  }
  const hex = Array.from(bytes.slice(0, 16), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  return bytes.length === 48 && hex === ED25519_PKCS8_HEADER;
}

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    /** External PostgreSQL. Unset: `portwatch` starts the embedded one under PORTWATCH_DATA_DIR. */
    DATABASE_URL: postgresUrl,
    /** Where the embedded PostgreSQL and local secrets live; relative to the project. */
    PORTWATCH_DATA_DIR: z.string().default(".portwatch"),
    /** The embedded PostgreSQL's own port; never 5432, where a server may already run. */
    PORTWATCH_PG_PORT: port(54329),
    PORT: port(3000),
    /** Address the web app listens on. */
    HOST: optionalString,
    /** Password for the admin created on first start; generated and printed once when unset. */
    PORTWATCH_ADMIN_PASSWORD: optionalString.refine(
      (v) => v === undefined || (v.length >= 12 && v.length <= 256),
      { message: "must be 12 to 256 characters" },
    ),
    PORTWATCH_ADMIN_EMAIL: optionalString
      .refine((v) => v === undefined || z.email().safeParse(v).success, { message: "must be an email address" })
      .transform((v) => (v ?? "admin@portwatch.local").toLowerCase()),
    /** Auth.js secret for signing session cookies; at least 32 characters. */
    AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: "must be at least 32 characters (generate one with: openssl rand -base64 33)",
    }),
    /** The public URL of the app, e.g. https://portwatch.example.com (STACK.md, trap 4). */
    AUTH_URL: httpUrl,
    /** Optional OpenID Connect provider (Okta, Entra ID, Google, Cognito...). */
    AUTH_OIDC_ISSUER: httpUrl,
    AUTH_OIDC_CLIENT_ID: optionalString,
    AUTH_OIDC_CLIENT_SECRET: optionalString,
    AUTH_OIDC_NAME: optionalString.transform((v) => v ?? "Single sign-on"),
    /** Role given to a person the first time they sign in through OIDC. */
    AUTH_OIDC_DEFAULT_ROLE: z.enum(["admin", "security", "finops", "auditor"]).default("auditor"),
    /** Hours a sign-in lasts before the user must sign in again. */
    PORTWATCH_SESSION_HOURS: z
      .string()
      .default("12")
      .pipe(z.string().regex(/^\d+$/, "must be a whole number of hours").transform(Number))
      .pipe(z.number().int().min(1, "must be 1 to 720 hours").max(720, "must be 1 to 720 hours")),
    /**
     * Trust X-Forwarded-For's first address as the client's (set only behind a proxy you run);
     * otherwise the address Next's own server saw is used for sign-in rate limits.
     */
    PORTWATCH_TRUST_PROXY: booleanFlag,
    /** The accounts config file (DESIGN.md's format); applied when serve, worker or collect start. */
    PORTWATCH_CONFIG: optionalString,
    /** Targets (account x region) one worker process collects at once. */
    PORTWATCH_WORKER_CONCURRENCY: wholeNumber(8, 1, 512),
    /** Seconds between a worker's heartbeats; a target silent for 3 of them is resumed elsewhere. */
    PORTWATCH_HEARTBEAT_SECONDS: wholeNumber(10, 1, 600),
    /**
     * The Ed25519 key that signs evidence manifests, as base64 of its PKCS#8 DER. Unset: one is
     * created on first use in <PORTWATCH_DATA_DIR>/signing-key (mode 0600). Set it when web and
     * worker processes run on more than one machine, so every export is signed by the same key.
     */
    PORTWATCH_SIGNING_KEY: optionalString.refine((v) => v === undefined || isEd25519PrivateKeyBase64(v), {
      message: "must be the base64 of an Ed25519 private key in PKCS#8 DER (make one with: openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)",
    }),
    /** `serve` runs the collector in-process unless this is false (then run `portwatch worker`). */
    PORTWATCH_SERVE_WORKER: z
      .enum(["true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === undefined || v === "" || v === "true" || v === "1"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_CLIENT_ID, env.AUTH_OIDC_CLIENT_SECRET];
    const set = oidc.filter((v) => v !== undefined).length;
    if (set !== 0 && set !== 3) {
      for (const key of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const) {
        if (env[key] === undefined) {
          ctx.addIssue({ code: "custom", path: [key], message: "must be set with the other AUTH_OIDC_* variables" });
        }
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

/** Parses an environment; the error names every bad variable, one per line. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `${String(issue.path[0] ?? "environment")} ${issue.message}`);
  throw new EnvError(`Invalid environment: ${lines.join("; ")}`);
}

let cached: Env | undefined;

/** The process's environment, parsed once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Whether OpenID Connect sign-in is configured. */
export function oidcEnabled(e: Env = env()): boolean {
  return e.AUTH_OIDC_ISSUER !== undefined;
}
