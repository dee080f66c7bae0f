import { describe, expect, it } from "vitest";
import type { ComplianceSettings, RegistryFacts, RepositoryFacts } from "../types";
import { crossAccountTrusted } from "./cross-account-trusted";
import { ACCOUNT as OWN, checkContext, policyText as policy, readErrors, repositoryFacts as repo } from "./testing";

const ORG_MEMBER = "222233334444";
const OUTSIDE = "999988887777";
const PARTNER = "555566667777";
const registry = {} as RegistryFacts; // cross-account-trusted reads nothing of the registry

const context = (settings: Partial<ComplianceSettings> = {}) => checkContext({ settings, organizationAccountIds: new Set([OWN, ORG_MEMBER]) });

const denied = readErrors("GetRepositoryPolicy");
const allow = (Sid: string, Principal: unknown, extra: Record<string, unknown> = {}) => ({ Sid, Effect: "Allow", Principal, Action: "ecr:BatchGetImage", ...extra });
const orgPull = allow("OrgPull", { AWS: "*" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } });

describe("cross-account-trusted", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<ComplianceSettings>, string, RegExp]>([
    ["no policy", { repositoryPolicy: null }, {}, "PASS", /has no policy/],
    ["a public statement held to the organisation", { repositoryPolicy: policy(orgPull) }, {}, "PASS", /name no account/],
    ["the repository's own account", { repositoryPolicy: policy(allow("Self", { AWS: `arn:aws:iam::${OWN}:root` })) }, {}, "PASS", new RegExp(`\\(${OWN}\\) is the repository's own`)],
    ["an organisation account's role", { repositoryPolicy: policy(allow("Ci", { AWS: [`arn:aws:iam::${ORG_MEMBER}:role/ci`] })) }, {}, "PASS", new RegExp(ORG_MEMBER)],
    ["a trusted account", { repositoryPolicy: policy(allow("Partner", { AWS: PARTNER })) }, { trustedAccounts: [PARTNER] }, "PASS", new RegExp(PARTNER)],
    ["a service principal", { repositoryPolicy: policy(allow("Build", { Service: "codebuild.amazonaws.com" })) }, {}, "PASS", /name no account/],
    ["an outside account in a Deny", { repositoryPolicy: policy({ Sid: "Block", Effect: "Deny", Principal: { AWS: OUTSIDE }, Action: "ecr:*" }) }, {}, "PASS", /name no account/],
    ["an outside account's root (the sandbox's vendor)", { repositoryPolicy: policy(orgPull, allow("VendorPull", { AWS: `arn:aws:iam::${OUTSIDE}:root` })) }, {}, "FAIL", new RegExp(`allows account ${OUTSIDE} \\(statement VendorPull\\), outside the organisation`)],
    ["an outside account's user, unnamed statement", { repositoryPolicy: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OUTSIDE}:user/bob` }, Action: "ecr:*" }) }, {}, "FAIL", new RegExp(`${OUTSIDE} \\(statement #1\\)`)],
    ["a partner not in the trusted list", { repositoryPolicy: policy(allow("Partner", { AWS: PARTNER })) }, { trustedAccounts: [OUTSIDE] }, "FAIL", new RegExp(`${PARTNER} \\(statement Partner\\)`)],
    [
      "a service held to an outside account's resource",
      { repositoryPolicy: policy(allow("Build", { Service: "codebuild.amazonaws.com" }, { Condition: { ArnLike: { "aws:SourceArn": `arn:aws:codebuild:us-east-1:${OUTSIDE}:project/*` } } })) },
      {},
      "FAIL",
      new RegExp(`${OUTSIDE} \\(statement Build\\)`),
    ],
    [
      "everyone held to an outside account",
      { repositoryPolicy: policy(allow("Acct", "*", { Condition: { StringEquals: { "aws:PrincipalAccount": OUTSIDE } } })) },
      {},
      "FAIL",
      new RegExp(`${OUTSIDE} \\(statement Acct\\)`),
    ],
    [
      "two outside accounts",
      { repositoryPolicy: policy(allow("A", { AWS: [OUTSIDE, PARTNER] }), allow("B", { AWS: `arn:aws:iam::${OUTSIDE}:role/x` })) },
      {},
      "FAIL",
      new RegExp(`accounts ${OUTSIDE} \\(statement A, statement B\\), ${PARTNER} \\(statement A\\)`),
    ],
    ["GetRepositoryPolicy denied", { readErrors: denied }, {}, "ERROR", /ecr:GetRepositoryPolicy failed with AccessDeniedException/],
    ["a policy that is not JSON", { repositoryPolicy: "nope" }, {}, "MANUAL", /policy is not valid JSON/],
  ])("%s -> %s", (_, overrides, settings, status, reason) => {
    const result = crossAccountTrusted.evaluate(repo(overrides), registry, context(settings));
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });

  it("gives the outside accounts and their statements as evidence", () => {
    const result = crossAccountTrusted.evaluate(repo({ repositoryPolicy: policy(allow("VendorPull", { AWS: OUTSIDE })) }), registry, context());
    expect(result.evidence).toMatchObject({ outsideAccountCount: 1, outsideAccounts: [{ account: OUTSIDE, statements: ["statement VendorPull"] }] });
  });
});
