import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("accepts an Ed25519 signing key in PKCS#8 DER, base64", () => {
    const key = generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    expect(parseEnv({ PORTWATCH_SIGNING_KEY: key }).PORTWATCH_SIGNING_KEY).toBe(key);
  });

  it("gives defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({
      PORT: 3000,
      PORTWATCH_PG_PORT: 54329,
      PORTWATCH_DATA_DIR: ".portwatch",
      PORTWATCH_ADMIN_EMAIL: "admin@portwatch.local",
      PORTWATCH_SESSION_HOURS: 12,
      AUTH_OIDC_DEFAULT_ROLE: "auditor",
    });
  });

  it.each([
    [{ DATABASE_URL: "mysql://root@localhost/db" }, "DATABASE_URL must be a PostgreSQL URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL must be a PostgreSQL URL"],
    [{ PORTWATCH_ADMIN_PASSWORD: "short" }, "PORTWATCH_ADMIN_PASSWORD must be 12 to 256 characters"],
    [{ PORT: "70000" }, "PORT must be a port number (1-65535)"],
    [{ PORT: "abc" }, "PORT must be a port number (1-65535)"],
    [{ AUTH_SECRET: "too-short" }, "AUTH_SECRET must be at least 32 characters"],
    [{ PORTWATCH_SESSION_HOURS: "0" }, "PORTWATCH_SESSION_HOURS must be 1 to 720 hours"],
    [{ PORTWATCH_ADMIN_EMAIL: "admin" }, "PORTWATCH_ADMIN_EMAIL must be an email address"],
    [{ AUTH_OIDC_ISSUER: "https://idp.example.com" }, "AUTH_OIDC_CLIENT_ID must be set with the other AUTH_OIDC_* variables"],
    [{ PORTWATCH_SIGNING_KEY: "not base64!" }, "PORTWATCH_SIGNING_KEY must be the base64 of an Ed25519 private key in PKCS#8 DER"],
    // An X25519 key has the same length and shape: only the algorithm's OID tells them apart.
    [{ PORTWATCH_SIGNING_KEY: generateKeyPairSync("x25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64") }, "PORTWATCH_SIGNING_KEY must be the base64 of an Ed25519"],
  ])("names the variable in %j", (source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("accepts a complete OIDC configuration and a postgres URL", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://u:p@db.internal:5432/portwatch",
      AUTH_OIDC_ISSUER: "https://login.example.com/",
      AUTH_OIDC_CLIENT_ID: "portwatch",
      AUTH_OIDC_CLIENT_SECRET: "s3cret",
      AUTH_OIDC_DEFAULT_ROLE: "security",
    });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db.internal:5432/portwatch");
    expect(env.AUTH_OIDC_DEFAULT_ROLE).toBe("security");
  });
});
