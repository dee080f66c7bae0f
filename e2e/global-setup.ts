import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { request } from "@playwright/test";
import { ROLES } from "../lib/auth/roles";
import { BASE_ACCESS_KEY_ID, BASE_SECRET_ACCESS_KEY } from "../lib/sandbox/credentials";
import { sandboxOptions } from "../lib/sandbox/options";
import { startSandbox } from "../lib/sandbox/server";
import { adminQuery, databaseUrl, freePort } from "../test/pg-server";
import { E2E_PORT, PASSWORD, ROOT, STATE_DIR, storageState, USERS } from "./support/config";
import { runPortwatch, startPortwatch, stopPortwatch } from "./support/portwatch-process";
import { startOidcProvider } from "./support/oidc-provider";
import { signInRequest } from "./support/sign-in";

/**
 * Starts the app the way a user does (`portwatch serve`), on a database of its own: a new
 * database on DATABASE_URL's server when set, else the embedded PostgreSQL in a fresh data dir,
 * with the AWS SDK's own variables pointing at a sandbox AWS organisation (demo profile) and an
 * accounts config holding only its external id: the tests add accounts through the page.
 * Creates one user per role and stores a signed-in session for each.
 */
export default async function globalSetup() {
  await mkdir(STATE_DIR, { recursive: true });
  const idp = await startOidcProvider();
  const sandbox = await startSandbox(sandboxOptions("demo"));
  const org = sandbox.organization;
  const configFile = path.join(STATE_DIR, "accounts-config.json");
  // The payer's Cost Explorer reader is configured, as a FinOps team would: its costs cover the whole organisation.
  await writeFile(configFile, JSON.stringify({ externalId: org.externalId, regions: org.options.regions, accounts: [], costExplorer: { roleArn: org.costReaderRoleArn, lookbackDays: 90 } }));
  const member = org.accounts[0];
  await writeFile(
    path.join(STATE_DIR, "sandbox.json"),
    JSON.stringify({
      accountId: member.id,
      roleArn: `arn:aws:iam::${member.id}:role/${org.memberRoleName}`,
      regions: org.options.regions,
      managementAccountId: org.managementAccountId,
      externalId: org.externalId,
    }),
  );
  const { DATABASE_URL: external, ...base } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...base,
    PORTWATCH_ADMIN_EMAIL: USERS.admin,
    PORTWATCH_ADMIN_PASSWORD: PASSWORD,
    AUTH_URL: `http://localhost:${E2E_PORT}`,
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: idp.clientId,
    AUTH_OIDC_CLIENT_SECRET: idp.clientSecret,
    AUTH_OIDC_NAME: "Test IdP",
    PORTWATCH_CONFIG: configFile,
    PORTWATCH_HEARTBEAT_SECONDS: "2",
    AWS_ENDPOINT_URL: sandbox.url,
    AWS_ACCESS_KEY_ID: BASE_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: BASE_SECRET_ACCESS_KEY,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  let removeData: () => Promise<void>;
  if (external) {
    const name = `pw_e2e_${process.pid}`;
    await adminQuery(external, `CREATE DATABASE "${name}"`);
    env.DATABASE_URL = databaseUrl(external, name);
    removeData = () => adminQuery(external, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } else {
    const dataDir = await mkdtemp(path.join(ROOT, ".portwatch", "e2e-"));
    env.PORTWATCH_DATA_DIR = dataDir;
    env.PORTWATCH_PG_PORT = String(await freePort());
    removeData = () => rm(dataDir, { recursive: true, force: true });
  }
  const cleanup = async () => {
    await removeData();
    await idp.close();
    await sandbox.close();
  };

  const server = await startPortwatch(["serve", "--port", String(E2E_PORT), "--host", "127.0.0.1"], env, /Portwatch is running/);
  try {
    // The tests drive the CLI too (disabling an OIDC user): they find its environment here.
    await writeFile(path.join(STATE_DIR, "env.json"), JSON.stringify({ DATABASE_URL: env.DATABASE_URL, PORTWATCH_DATA_DIR: env.PORTWATCH_DATA_DIR, PORTWATCH_PG_PORT: env.PORTWATCH_PG_PORT }));
    for (const role of ROLES.filter((r) => r !== "admin")) {
      await runPortwatch(["users", "add", "--email", USERS[role], "--role", role, "--password-stdin"], env, PASSWORD);
    }
    for (const role of ROLES) {
      const context = await request.newContext({ baseURL: `http://localhost:${E2E_PORT}` });
      await signInRequest(context, USERS[role], PASSWORD);
      await context.storageState({ path: storageState(role) });
      await context.dispose();
    }
  } catch (error) {
    await stopPortwatch(server.child);
    await cleanup();
    throw error;
  }

  return async () => {
    const code = await stopPortwatch(server.child);
    await cleanup();
    if (code !== 0) throw new Error(`portwatch serve exited with ${code} on SIGINT:\n${server.output()}`);
  };
}
