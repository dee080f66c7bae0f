import { describe, expect, it } from "vitest";
import { conditionAccounts, describeActions, hasRestrictingCondition, isPublicPrincipal, type PolicyCondition, parsePolicy, principalAccounts, statementLabel } from "./policy-document";

const policy = (Statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement });

function statements(text: string) {
  const parsed = parsePolicy(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.statements;
}

describe("parsePolicy", () => {
  it("normalises a single statement object and string fields to arrays", () => {
    const [s] = statements(policy({ Sid: "One", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "ecr:BatchGetImage" }));
    expect(s).toMatchObject({ index: 0, sid: "One", effect: "Allow", notPrincipal: false, notAction: false, actions: ["ecr:BatchGetImage"], condition: null });
    expect(s.principal).toEqual({ any: false, aws: ["arn:aws:iam::111122223333:root"], service: [], federated: [], canonicalUser: [] });
  });

  it("reads Principal '*', Service, Federated, NotPrincipal, NotAction and Condition values", () => {
    const list = statements(
      policy([
        { Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
        { Effect: "Allow", Principal: { Service: ["codebuild.amazonaws.com"], Federated: "cognito-identity.amazonaws.com" }, NotAction: "ecr:DeleteRepository" },
        { Effect: "Deny", NotPrincipal: { AWS: ["111122223333"] }, Action: "ecr:*", Condition: { Bool: { "aws:SecureTransport": false } } },
      ]),
    );
    expect(list[0].principal?.any).toBe(true);
    expect(list[0].condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": ["o-abc123"] } });
    expect(list[1].principal).toMatchObject({ service: ["codebuild.amazonaws.com"], federated: ["cognito-identity.amazonaws.com"] });
    expect(list[1]).toMatchObject({ notAction: true, actions: ["ecr:DeleteRepository"] });
    expect(list[2]).toMatchObject({ notPrincipal: true, effect: "Deny" });
    expect(list[2].condition).toEqual({ Bool: { "aws:SecureTransport": ["false"] } });
  });

  it.each([
    ["not JSON", "{not json"],
    ["a JSON array", "[]"],
  ])("reports %s as unparseable", (_, text) => {
    expect(parsePolicy(text).ok).toBe(false);
  });

  it("returns the same parsed object for the same text (parsed once)", () => {
    const text = policy({ Effect: "Allow", Principal: "*", Action: "ecr:*" });
    expect(parsePolicy(text)).toBe(parsePolicy(text));
  });

  it("reads a policy without statements as having none", () => {
    expect(parsePolicy("{}")).toEqual({ ok: true, statements: [] });
  });
});

describe("isPublicPrincipal", () => {
  const p = (principal: unknown) => statements(policy({ Effect: "Allow", Principal: principal, Action: "ecr:*" }))[0].principal;
  it.each([
    ["*", "*", true],
    ['{"AWS":"*"}', { AWS: "*" }, true],
    ['{"AWS":["111122223333","*"]}', { AWS: ["111122223333", "*"] }, true],
    ["arn:aws:iam::*:root", { AWS: "arn:aws:iam::*:root" }, true],
    ["arn:aws-cn:iam::*:root", { AWS: "arn:aws-cn:iam::*:root" }, true],
    ["arn:aws-us-gov:iam::*:root", { AWS: "arn:aws-us-gov:iam::*:root" }, true],
    ["an account root", { AWS: "arn:aws:iam::111122223333:root" }, false],
    ["a bare account id", { AWS: "111122223333" }, false],
    ["a service", { Service: "lambda.amazonaws.com" }, false],
  ])("%s -> %s", (_, principal, expected) => {
    expect(isPublicPrincipal(p(principal))).toBe(expected);
  });
  it("no principal is not public", () => expect(isPublicPrincipal(null)).toBe(false));
});

describe("principalAccounts", () => {
  it("collects the 12-digit accounts of ARNs and bare ids, not services", () => {
    const [s] = statements(
      policy({
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::222233334444:role/ci", "arn:aws-cn:iam::333344445555:user/bob", "444455556666", "arn:aws:sts::555566667777:assumed-role/r/s", "*"],
          Service: "ecs.amazonaws.com",
        },
        Action: "ecr:*",
      }),
    );
    expect(principalAccounts(s.principal).sort()).toEqual(["111122223333", "222233334444", "333344445555", "444455556666", "555566667777"]);
  });
});

describe("hasRestrictingCondition", () => {
  it.each<[string, PolicyCondition | null, boolean]>([
    ["no condition", null, false],
    ["PrincipalOrgID equals an org", { StringEquals: { "aws:PrincipalOrgID": ["o-abc123"] } }, true],
    ["keys compared case-insensitively", { stringequals: { "AWS:PRINCIPALORGID": ["o-abc123"] } }, true],
    ["SourceAccount", { StringEquals: { "aws:SourceAccount": ["111122223333"] } }, true],
    ["SourceArn like a concrete ARN", { ArnLike: { "aws:SourceArn": ["arn:aws:codebuild:us-east-1:111122223333:project/*"] } }, true],
    ["PrincipalAccount", { StringEquals: { "aws:PrincipalAccount": ["111122223333"] } }, true],
    ["SourceVpce", { StringEquals: { "aws:SourceVpce": ["vpce-0abc"] } }, true],
    ["SourceVpc", { StringEquals: { "aws:SourceVpc": ["vpc-0abc"] } }, true],
    ["ForAnyValue:StringEquals", { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } }, true],
    ["StringLike with '*'", { StringLike: { "aws:PrincipalOrgID": ["*"] } }, false],
    ["StringLike with 'o-*'", { StringLike: { "aws:PrincipalOrgID": ["o-*"] } }, false],
    ["StringLike SourceArn with no account or resource", { ArnLike: { "aws:SourceArn": ["arn:aws:*"] } }, false],
    ["a value '*'", { StringEquals: { "aws:SourceAccount": ["*"] } }, false],
    ["an empty value", { StringEquals: { "aws:SourceAccount": [""] } }, false],
    ["one wildcard among the values", { StringLike: { "aws:SourceAccount": ["111122223333", "*"] } }, false],
    ["a negated operator", { StringNotEquals: { "aws:PrincipalOrgID": ["o-abc123"] } }, false],
    ["IfExists", { StringEqualsIfExists: { "aws:SourceVpce": ["vpce-0abc"] } }, false],
    ["Null", { Null: { "aws:SourceAccount": ["false"] } }, false],
    ["ForAllValues", { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } }, false],
    ["an unrelated key", { IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } }, false],
  ])("%s -> %s", (_, condition, expected) => {
    expect(hasRestrictingCondition(condition)).toBe(expected);
  });
});

describe("conditionAccounts", () => {
  it("reads accounts that account and ARN condition keys confine a statement to", () => {
    expect(
      conditionAccounts({
        StringEquals: { "aws:PrincipalAccount": ["111122223333"], "aws:PrincipalOrgID": ["o-abc"] },
        ArnLike: { "aws:SourceArn": ["arn:aws:codebuild:us-east-1:222233334444:project/*"] },
        StringNotEquals: { "aws:SourceAccount": ["333344445555"] },
      }).sort(),
    ).toEqual(["111122223333", "222233334444"]);
  });
});

describe("labels", () => {
  it("names a statement by Sid, else by its 1-based position, and lists its actions", () => {
    const [a, b] = statements(policy([{ Sid: "Pull", Effect: "Allow", Principal: "*", Action: ["ecr:A", "ecr:B"] }, { Effect: "Allow", Principal: "*", NotAction: "ecr:Delete*" }]));
    expect(statementLabel(a)).toBe("statement Pull");
    expect(statementLabel(b)).toBe("statement #2");
    expect(describeActions(a)).toBe("ecr:A, ecr:B");
    expect(describeActions(b)).toBe("every action but ecr:Delete*");
  });
});
