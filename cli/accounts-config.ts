import os from "node:os";
import { loadAccountsConfigFile } from "@/lib/accounts/load-config-file";
import { applyAccountsConfig } from "@/lib/db/aws-accounts";
import { CliError } from "./args";

/**
 * Applies the accounts config file (--config, else PORTWATCH_CONFIG) to the database. A bad
 * file stops the command with every problem named, and nothing stored changes.
 */
export async function applyConfigFile(path: string | undefined, log: (line: string) => void): Promise<void> {
  if (!path) return;
  let config;
  try {
    config = await loadAccountsConfigFile(path);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const result = await applyAccountsConfig(config, { id: null, email: `config:${os.userInfo().username}` });
  log(`Applied ${path}: ${JSON.stringify(result)}`);
}
