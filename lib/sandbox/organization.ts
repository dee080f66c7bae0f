import type { SandboxOptions } from "./options";
import { hash32, rngFor } from "./rng";

/**
 * The generated organisation's accounts: cheap metadata, built once from the options (a few
 * hundred objects at most). Repositories, images and costs are generated on demand from it.
 */

export type Environment = "prod" | "staging" | "dev" | "shared";

export interface SandboxAccount {
  id: string;
  name: string;
  environment: Environment;
  email: string;
  status: "ACTIVE" | "SUSPENDED";
  /** Regions that answer; a region outside this list but inside the config is opt-in and disabled. */
  regions: string[];
  /** The read-only role's name; undefined when the account has none (faults profile). */
  roleName: string | undefined;
  /** The ExternalId the role's trust policy demands. */
  externalId: string;
  joinedAt: Date;
}

export interface SandboxOrganization {
  options: SandboxOptions;
  id: string;
  managementAccountId: string;
  /** The ExternalId this organisation's roles demand (the installation's). */
  externalId: string;
  memberRoleName: string;
  orgReaderRoleArn: string;
  costReaderRoleArn: string;
  /** ACTIVE member accounts first, then the SUSPENDED ones (which the collector must skip). */
  accounts: SandboxAccount[];
  /** Faults profile: which account and operation answer AccessDenied, and the disabled opt-in region. */
  faults?: {
    noRoleAccountId: string;
    wrongExternalIdAccountId: string;
    accessDenied: { accountId: string; operation: string };
    disabledRegion: { accountId: string; region: string };
  };
  /** The moment the organisation is generated "as of": data never lies in its future. */
  now: Date;
}

const TEAMS = ["payments", "identity", "search", "checkout", "data", "platform", "ml", "mobile", "ledger", "catalog", "growth", "support", "risk", "media"];
const ENVIRONMENTS: Environment[] = ["prod", "prod", "staging", "dev", "dev", "shared"];

/** 12 digits, never starting with 0, distinct per index. */
function accountId(seed: number, index: number): string {
  const high = 100000 + (hash32(seed, "account-high", index) % 900000);
  const low = (hash32(seed, "account-low", index) % 1000000).toString().padStart(6, "0");
  return `${high}${low}`;
}

/** Midnight UTC of the day the organisation is generated for: a fixed epoch keeps seeds byte-identical. */
export const SANDBOX_EPOCH = new Date("2026-11-01T00:00:00Z");

export function buildOrganization(options: SandboxOptions, now: Date = SANDBOX_EPOCH): SandboxOrganization {
  const rng = rngFor(options.seed, "organization");
  const managementAccountId = accountId(options.seed, -1);
  const externalId = `pw-sandbox-${rng.hex(10)}`;
  const memberRoleName = "PortwatchReadOnly";
  const ids = new Set<string>([managementAccountId]);
  const accounts: SandboxAccount[] = [];
  const suspended = Math.max(1, Math.round(options.accounts / 20));
  for (let i = 0; i < options.accounts + suspended; i++) {
    let id = accountId(options.seed, i);
    for (let n = 0; ids.has(id); n++) id = accountId(options.seed, i * 1000 + n + 7);
    ids.add(id);
    const a = rngFor(options.seed, "account", i);
    // The first accounts cover every environment, so even a small organisation has each.
    const environment = i < 4 ? (["prod", "dev", "staging", "shared"] as const)[i] : a.pick(ENVIRONMENTS);
    const team = TEAMS[(i + a.int(0, TEAMS.length - 1)) % TEAMS.length];
    const name = `${team}-${environment}${i >= TEAMS.length ? `-${Math.floor(i / TEAMS.length) + 1}` : ""}`;
    accounts.push({
      id,
      name,
      environment,
      email: `aws+${name}@example.com`,
      status: i < options.accounts ? "ACTIVE" : "SUSPENDED",
      regions: [...options.regions],
      roleName: memberRoleName,
      externalId,
      joinedAt: new Date(now.getTime() - a.int(200, 2000) * 86_400_000),
    });
  }

  const org: SandboxOrganization = {
    options,
    id: `o-${rng.hex(10)}`,
    managementAccountId,
    externalId,
    memberRoleName,
    orgReaderRoleArn: `arn:aws:iam::${managementAccountId}:role/PortwatchOrgReader`,
    costReaderRoleArn: `arn:aws:iam::${managementAccountId}:role/PortwatchCostReader`,
    accounts,
    now,
  };

  if (options.faults && options.accounts >= 5) {
    const active = accounts.filter((a) => a.status === "ACTIVE");
    const [noRole, wrongId, denied, optIn] = active.slice(-4);
    noRole.roleName = undefined;
    wrongId.externalId = `${externalId}-rotated`;
    // An opt-in region the account never enabled: AWS answers UnrecognizedClientException there.
    optIn.regions = optIn.regions.filter((r) => r !== options.regions[options.regions.length - 1]);
    org.faults = {
      noRoleAccountId: noRole.id,
      wrongExternalIdAccountId: wrongId.id,
      accessDenied: { accountId: denied.id, operation: "GetLifecyclePolicy" },
      disabledRegion: { accountId: optIn.id, region: options.regions[options.regions.length - 1] },
    };
  }
  return org;
}

export function findAccount(org: SandboxOrganization, accountId: string): SandboxAccount | undefined {
  if (accountId === org.managementAccountId) return undefined;
  return org.accounts.find((a) => a.id === accountId);
}

/** The accounts config (DESIGN.md's format) that points Portwatch at this organisation. */
export function accountsConfig(org: SandboxOrganization) {
  return {
    externalId: org.externalId,
    regions: org.options.regions,
    accounts: org.accounts
      .filter((a) => a.status === "ACTIVE")
      .map((a) => ({
        id: a.id,
        name: a.name,
        environment: a.environment,
        roleArn: `arn:aws:iam::${a.id}:role/${org.memberRoleName}`,
        regions: org.options.regions,
      })),
    organizations: { roleArn: org.orgReaderRoleArn, memberRoleName: org.memberRoleName },
    costExplorer: { roleArn: org.costReaderRoleArn, lookbackDays: 90 },
    settings: { trustedAccounts: [], vulnerabilityThreshold: "HIGH" },
  };
}
