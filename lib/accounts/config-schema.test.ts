import { describe, expect, it } from "vitest";
import { accountIdSchema, externalIdSchema, parseAccountsConfig, parseRoleArn, regionListSchema, roleArnSchema } from "./config-schema";

const account = (over: Record<string, unknown> = {}) => ({
  id: "111111111111",
  name: "prod-core",
  environment: "prod",
  roleArn: "arn:aws:iam::111111111111:role/PortwatchReadOnly",
  ...over,
});
const config = (over: Record<string, unknown> = {}) => ({ regions: ["us-east-1"], accounts: [account()], ...over });

function issues(json: unknown): string[] {
  const result = parseAccountsConfig(json);
  return result.ok ? [] : result.issues;
}

describe("parseAccountsConfig", () => {
  it("accepts DESIGN.md's example and fills the defaults", () => {
    const result = parseAccountsConfig({
      externalId: "pw-3f9c0c1e6a",
      regions: ["us-east-1", "eu-west-1"],
      accounts: [
        { id: "111111111111", name: "prod-core", environment: "prod", roleArn: "arn:aws:iam::111111111111:role/PortwatchReadOnly", regions: ["us-east-1"] },
        { id: "222222222222", name: "sandbox", roleArn: "arn:aws:iam::222222222222:role/team/PortwatchReadOnly" },
      ],
      organizations: { roleArn: "arn:aws:iam::999999999999:role/PortwatchOrgReader", memberRoleName: "PortwatchReadOnly" },
      costExplorer: { roleArn: "arn:aws:iam::999999999999:role/PortwatchCostReader" },
      settings: { trustedAccounts: [], vulnerabilityThreshold: "HIGH" },
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        accounts: [{ regions: ["us-east-1"] }, { id: "222222222222", environment: "unknown" }],
        costExplorer: { lookbackDays: 90 },
      },
    });
  });

  it.each([
    ["an account id that is not 12 digits", config({ accounts: [account({ id: "11111111111" })] }), "accounts[0].id: must be exactly 12 digits"],
    ["an account id with letters", config({ accounts: [account({ id: "11111111111a" })] }), "accounts[0].id: must be exactly 12 digits"],
    ["a missing name", config({ accounts: [account({ name: undefined })] }), "accounts[0].name: is required"],
    ["an empty name", config({ accounts: [account({ name: "  " })] }), "accounts[0].name: must not be empty"],
    ["a name over 80 characters", config({ accounts: [account({ name: "x".repeat(81) })] }), "accounts[0].name: must be at most 80 characters"],
    ["an environment that is not a short lowercase word", config({ accounts: [account({ environment: "Production Env" })] }), "accounts[0].environment: must be a short lowercase word"],
    ["a role ARN that is not an ARN", config({ accounts: [account({ roleArn: "PortwatchReadOnly" })] }), "accounts[0].roleArn: must be an IAM role ARN such as arn:aws:iam::111111111111:role/PortwatchReadOnly"],
    ["an unknown partition", config({ accounts: [account({ roleArn: "arn:aws-eu:iam::111111111111:role/R" })] }), 'accounts[0].roleArn: has partition "aws-eu"; it must be aws, aws-cn or aws-us-gov'],
    ["a user instead of a role", config({ accounts: [account({ roleArn: "arn:aws:iam::111111111111:user/bob" })] }), "accounts[0].roleArn: must name a role"],
    ["a role name with a space", config({ accounts: [account({ roleArn: "arn:aws:iam::111111111111:role/Read Only" })] }), "accounts[0].roleArn: has a role name with characters IAM does not allow"],
    ["a role in another account", config({ accounts: [account({ roleArn: "arn:aws:iam::222222222222:role/R" })] }), "accounts[0].roleArn: is in account 222222222222, but the account id is 111111111111"],
    ["an unknown account region", config({ accounts: [account({ regions: ["us-east-1", "mars-north-1"] })] }), 'accounts[0].regions: "mars-north-1" is not a known AWS region'],
    ["an unknown default region", config({ regions: ["eu-west-9"] }), 'regions: "eu-west-9" is not a known AWS region'],
    ["no default regions", config({ regions: [] }), "regions: must list at least one region"],
    ["a missing regions list", { accounts: [account()] }, "regions: is required"],
    ["regions that are not a list", config({ regions: "us-east-1" }), "regions: must be a list"],
    ["an external id that is too short", config({ externalId: "x" }), "externalId: must be at least 2 characters"],
    ["an external id with a space", config({ externalId: "pw 123" }), "externalId: may contain only letters, digits and + = , . @ : / _ -"],
    ["an external id over 1224 characters", config({ externalId: "a".repeat(1225) }), "externalId: must be at most 1224 characters"],
    ["an unknown top-level key", config({ acounts: [] }), '(top level): has an unknown key "acounts"'],
    ["an unknown key in an account", config({ accounts: [account({ region: "us-east-1" })] }), 'accounts[0]: has an unknown key "region"'],
    ["a bad member role name", config({ organizations: { roleArn: "arn:aws:iam::999999999999:role/Org", memberRoleName: "Read/Only" } }), "organizations.memberRoleName: may contain only letters, digits"],
    ["a missing member role name", config({ organizations: { roleArn: "arn:aws:iam::999999999999:role/Org" } }), "organizations.memberRoleName: is required"],
    ["a bad organizations role", config({ organizations: { roleArn: "arn:aws:iam::99:role/Org", memberRoleName: "R" } }), "organizations.roleArn: must name a 12-digit account id"],
    ["a lookback of 0 days", config({ costExplorer: { roleArn: "arn:aws:iam::999999999999:role/Cost", lookbackDays: 0 } }), "costExplorer.lookbackDays: must be at least 1 day"],
    ["a lookback of 396 days", config({ costExplorer: { roleArn: "arn:aws:iam::999999999999:role/Cost", lookbackDays: 396 } }), "costExplorer.lookbackDays: must be at most 395 days"],
    ["a fractional lookback", config({ costExplorer: { roleArn: "arn:aws:iam::999999999999:role/Cost", lookbackDays: 1.5 } }), "costExplorer.lookbackDays: must be a whole number of days"],
    ["a lookback given as text", config({ costExplorer: { roleArn: "arn:aws:iam::999999999999:role/Cost", lookbackDays: "90" } }), "costExplorer.lookbackDays: must be a number"],
    ["a trusted account that is not an account id", config({ settings: { trustedAccounts: ["12345"] } }), "settings.trustedAccounts[0]: must be exactly 12 digits"],
    ["an unknown threshold", config({ settings: { vulnerabilityThreshold: "SEVERE" } }), "settings.vulnerabilityThreshold: must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL"],
    ["an unknown settings key", config({ settings: { threshold: "HIGH" } }), 'settings: has an unknown key "threshold"'],
  ])("refuses %s, naming the field", (_case, json, expected) => {
    const found = issues(json);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((issue) => issue.startsWith(expected))).toBe(true);
  });

  it("refuses a duplicate account id, naming both entries", () => {
    const json = config({ accounts: [account(), account({ id: "222222222222", roleArn: "arn:aws:iam::222222222222:role/R" }), account({ name: "again" })] });
    expect(issues(json)).toEqual(["accounts[2].id: 111111111111 is already listed as accounts[0]"]);
  });

  it("lists every problem at once", () => {
    const json = config({ externalId: "x", accounts: [account({ id: "1" }), account({ roleArn: "nope" })] });
    expect(issues(json)).toHaveLength(3);
  });

  it("refuses what is not an object", () => {
    expect(issues([])).toEqual(['(top level): must be a JSON object with an "accounts" list']);
    expect(issues(null)).toHaveLength(1);
  });
});

describe("single-field validators (shared with the Accounts page form)", () => {
  it.each([
    ["111111111111", true],
    [" 111111111111 ", true],
    ["1111111111111", false],
    ["", false],
  ])("account id %j: %s", (value, ok) => {
    expect(accountIdSchema.safeParse(value).success).toBe(ok);
  });

  it.each([
    ["arn:aws:iam::111111111111:role/PortwatchReadOnly", true],
    ["arn:aws-cn:iam::111111111111:role/a/b/R", true],
    ["arn:aws-us-gov:iam::111111111111:role/R+=,.@_-", true],
    [`arn:aws:iam::111111111111:role/${"r".repeat(64)}`, true],
    [`arn:aws:iam::111111111111:role/${"r".repeat(65)}`, false],
    ["arn:aws:iam::111111111111:role/", false],
    ["arn:aws:sts::111111111111:assumed-role/R/s", false],
    ["arn:aws:iam:us-east-1:111111111111:role/R", false],
  ])("role ARN %s: %s", (value, ok) => {
    expect(roleArnSchema.safeParse(value).success).toBe(ok);
  });

  it("splits a role ARN into its parts", () => {
    expect(parseRoleArn("arn:aws-cn:iam::111111111111:role/team/a/Reader")).toEqual({
      partition: "aws-cn",
      accountId: "111111111111",
      path: "/team/a/",
      roleName: "Reader",
    });
    expect(parseRoleArn("arn:aws:iam::111111111111:user/bob")).toBeNull();
  });

  it("drops duplicate regions and names unknown ones", () => {
    expect(regionListSchema.parse(["eu-west-1", "eu-west-1", "us-gov-west-1"])).toEqual(["eu-west-1", "us-gov-west-1"]);
    expect(regionListSchema.safeParse(["a", "b"]).error?.issues[0].message).toBe('"a", "b" are not known AWS regions');
  });

  it.each([
    ["pw-3f9c0c1e6a", true],
    ["a:b/c=d,e.f@g+h_i-j", true],
    ["x", false],
    ["pw 1", false],
  ])("external id %j: %s", (value, ok) => {
    expect(externalIdSchema.safeParse(value).success).toBe(ok);
  });
});
