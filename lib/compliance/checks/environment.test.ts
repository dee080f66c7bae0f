import { describe, expect, it } from "vitest";
import { DEFAULT_COMPLIANCE_SETTINGS } from "../types";
import { environmentOfValue, findRepositoryEnvironment, repositoryEnvironment } from "./environment";
import { ACCOUNT } from "./testing";

const ctx = (accountEnvironment?: string) => ({
  settings: DEFAULT_COMPLIANCE_SETTINGS,
  accountEnvironments: new Map(accountEnvironment ? [[ACCOUNT, accountEnvironment]] : []),
});
const repo = (name: string, tags: { key: string; value: string }[] | null = []) => ({ accountId: ACCOUNT, name, tags });

describe("environmentOfValue", () => {
  it.each([
    ["prod", "prod"],
    ["Production", "prod"],
    ["dev", "dev"],
    ["development", "dev"],
    ["sandbox", "dev"],
    ["test", "dev"],
    ["staging", null],
    ["shared", null],
    ["unknown", null],
    ["", null],
  ])("%s is %s", (value, expected) => {
    expect(environmentOfValue(value)).toBe(expected);
  });
});

describe("repositoryEnvironment", () => {
  it.each<[string, string | undefined, ReturnType<typeof repo>, string, string]>([
    ["the account's environment first", "production", repo("dev-tools", [{ key: "environment", value: "dev" }]), "prod", "account"],
    ["a dev account", "sandbox", repo("prod-orders"), "dev", "account"],
    ["staging falls through to the tag", "staging", repo("orders", [{ key: "environment", value: "prod" }]), "prod", "tag"],
    ["the tag key in any case", "unknown", repo("orders", [{ key: "Environment", value: "Development" }]), "dev", "tag"],
    ["another tag key says nothing", undefined, repo("orders", [{ key: "env", value: "prod" }]), "other", "none"],
    ["a staging tag falls through to the name", "shared", repo("prod-orders", [{ key: "environment", value: "staging" }]), "prod", "name"],
    ["a dev name pattern", undefined, repo("team/orders-dev"), "dev", "name"],
    ["a sandbox name pattern", undefined, repo("sandbox-x"), "dev", "name"],
    ["prod* is anchored", undefined, repo("team/prod-orders"), "other", "none"],
    ["unread tags fall through to the name", undefined, repo("dev-x", null), "dev", "name"],
    ["no source says anything", "staging", repo("team/orders"), "other", "none"],
  ])("%s", (_label, accountEnvironment, repository, environment, source) => {
    expect(repositoryEnvironment(repository, ctx(accountEnvironment))).toBe(environment);
    expect(findRepositoryEnvironment(repository, ctx(accountEnvironment)).source).toBe(source);
  });

  it("prefers prod when a name matches both patterns", () => {
    const settings = { ...DEFAULT_COMPLIANCE_SETTINGS, environment: { tagKey: "environment", prodNamePatterns: ["*-prod*"], devNamePatterns: ["*dev*"] } };
    expect(findRepositoryEnvironment(repo("tools-prod-devkit"), { settings, accountEnvironments: new Map() })).toEqual({ environment: "prod", source: "name", value: "*-prod*" });
  });
});
