import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_ROLE_PERMISSIONS, memberPermissionsPolicyJson } from "@/lib/accounts/trust-policy";
import { type ConnectionTestResult, testConnection } from "@/lib/aws/test-connection";
import type { CollectorWorker } from "@/lib/collect/worker";
import type { ImageFindingsRecord } from "@/lib/aws/types";
import type { RunProgress } from "@/lib/db/collection-targets";
import { getPortwatchPrincipal } from "@/lib/db/installation";
import { closePool } from "@/lib/db/pool";
import type { SandboxMetrics } from "@/lib/sandbox/throttle";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collect, configureSandboxAccounts, pointSdkAt, startTestWorker } from "@/test/collector";
import { withTestDatabase } from "@/test/database";
import { runInspectorFallback } from "@/test/deploy-calls";
import { type CfnTemplate, loadTemplate, parameterProblem, renderTemplate, unresolvedNames } from "@/test/deploy-cloudformation";
import {
  actionsByRole,
  asList,
  iamActionOf,
  isForbiddenAction,
  MANIFEST_SID,
  type PolicyDocument,
  readDeployFile,
  readPolicy,
  ROLE_KEYS,
  type RoleKey,
  roleOfAction,
  sorted,
  statementActions,
} from "@/test/deploy-iam";
import { attribute, declaredVariables, definedLocals, findBlock, findBlocks, localLists, readModule, statementActions as tfStatementActions, stringList, usedNames } from "@/test/deploy-terraform";

// What deploy/ grants, held against what Portwatch actually calls: a full collection of the
// demo organisation (Organizations discovery and Cost Explorer included), an account's "Test
// connection" and the Inspector2 fallback the demo never needs, through the real SDK, as the
// sandbox logged them. A policy that misses a
// call, or grants one nothing makes, fails here; so do templates that drift from deploy/iam.

const db = withTestDatabase();
let sandbox: RunningSandbox;
let worker: CollectorWorker;
let run: RunProgress;
let connection: ConnectionTestResult;
let fallback: ImageFindingsRecord | null;
let metrics: SandboxMetrics;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo"));
  pointSdkAt(sandbox);
  await configureSandboxAccounts(sandbox);
  worker = await startTestWorker(db.url());
  run = await collect(worker);
  const org = sandbox.organization;
  const member = org.accounts.find((a) => a.status === "ACTIVE")!;
  // As the Accounts page's button runs it (lib/accounts/run-connection-test.ts): the SDK's own chain.
  connection = await testConnection({ roleArn: `arn:aws:iam::${member.id}:role/${org.memberRoleName}`, externalId: org.externalId, regions: org.options.regions });
  fallback = await runInspectorFallback(sandbox);
  // The worker asks STS who it is when it starts, without waiting: give that a moment to land.
  for (let i = 0; i < 50 && !(await getPortwatchPrincipal()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  metrics = sandbox.metrics();
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await closePool();
  await sandbox?.close();
});

const POLICIES = () => Object.fromEntries(ROLE_KEYS.map((role) => [role, readPolicy(role)])) as Record<RoleKey, PolicyDocument>;
const EXPECTED_ROLE_NAMES = { member: "PortwatchReadOnly", orgReader: "PortwatchOrgReader", costReader: "PortwatchCostReader" } as const;

describe("the call log of a full run", () => {
  it("comes from a complete collection with discovery, cost, a connection test and the Inspector fallback, none refused", () => {
    expect(run).toMatchObject({ status: "complete", targetsFailed: 0, errorCount: 0 });
    expect(run.costExplorerRequests).toBeGreaterThan(0);
    expect(connection.assumeRole.ok).toBe(true);
    expect(connection.regions.map((r) => r.ok)).toEqual(sandbox.organization.options.regions.map(() => true));
    expect(metrics.calls["organizations:ListAccounts"]).toBeGreaterThan(0);
    expect(fallback?.source).toBe("inspector2");
    expect(fallback?.findings.length).toBeGreaterThan(0);
    // "No lifecycle policy" and the like are answers; a refusal would mean the log holds calls the run could not make.
    expect(Object.keys(metrics.errors).filter((k) => /AccessDenied|Unauthorized/.test(k))).toEqual([]);
  });

  it("maps every signing name and operation to an IAM action of the same name, and refuses unknown services", () => {
    expect(Object.keys(metrics.calls).map(iamActionOf)).toEqual(Object.keys(metrics.calls));
    expect(() => iamActionOf("s3:ListObjectsV2")).toThrow(/no IAM prefix known for the signing name "s3"/);
  });

  it("gives each role exactly the actions it is logged making (no more, no fewer)", () => {
    const logged = actionsByRole(Object.keys(metrics.calls));
    const policies = POLICIES();
    for (const role of ROLE_KEYS) {
      expect({ role, actions: sorted(statementActions(policies[role].Statement)) }).toEqual({ role, actions: logged[role] });
    }
    // Every role has work in a full run: an empty list would make the comparison above vacuous.
    for (const role of ROLE_KEYS) expect(logged[role].length, role).toBeGreaterThan(0);
  });

  it("attributes calls to the account whose role makes them", () => {
    const org = sandbox.organization;
    const members = new Set(org.accounts.filter((a) => a.status === "ACTIVE").map((a) => a.id));
    for (const [target, calls] of Object.entries(metrics.byTarget)) {
      const account = target.split("/")[0];
      for (const key of Object.keys(calls)) {
        const role = roleOfAction(iamActionOf(key));
        if (role === "costReader" || role === "orgReader") expect(`${key} by ${account}`).toBe(`${key} by ${org.managementAccountId}`);
        if (role === "member") expect(members.has(account), `${key} by ${account}`).toBe(true);
      }
    }
  });
});

describe("deploy/iam", () => {
  it("keeps ecr:BatchGetImage, alone, in the member policy's optional statement", () => {
    const member = readPolicy("member");
    expect(member.Statement.map((s) => s.Sid)).toEqual(["PortwatchReadOnly", MANIFEST_SID]);
    expect(asList(member.Statement[1].Action)).toEqual(["ecr:BatchGetImage"]);
    expect(asList(member.Statement[0].Action)).not.toContain("ecr:BatchGetImage");
    for (const statement of member.Statement) expect(statement).toMatchObject({ Effect: "Allow", Resource: "*" });
  });

  it("lists the same member actions as the Accounts page's permissions policy, statement by statement", () => {
    expect(sorted(MEMBER_ROLE_PERMISSIONS.flatMap((g) => g.actions))).toEqual(sorted(statementActions(readPolicy("member").Statement)));
    // The policy the page offers to copy is the deploy/ one: the same statements, the optional one apart.
    const page = JSON.parse(memberPermissionsPolicyJson()) as ReturnType<typeof readPolicy>;
    const member = readPolicy("member");
    expect(page.Statement.map((st) => st.Sid)).toEqual(member.Statement.map((st) => st.Sid));
    page.Statement.forEach((statement, i) => expect(sorted(asList(statement.Action))).toEqual(sorted(asList(member.Statement[i].Action))));
  });

  it("grants no write, no layer download and no wildcard action, in any file", () => {
    // The check itself: write verbs at the start of the action name only (ListTagsForResource is a read).
    for (const bad of ["ecr:PutImage", "ecr:TagResource", "ecr:UntagResource", "ecr:BatchDeleteImage", "ecr:StartImageScan", "ecr:GetDownloadUrlForLayer", "ecr:Describe*", "ecr:*"]) expect(isForbiddenAction(bad), bad).toBe(true);
    for (const good of ["ecr:ListTagsForResource", "ecr:BatchGetImage", "ecr:BatchGetRepositoryScanningConfiguration"]) expect(isForbiddenAction(good), good).toBe(false);

    const all = [
      ...ROLE_KEYS.flatMap((role) => statementActions(readPolicy(role).Statement)),
      ...cfnPolicyActions(loadTemplate("cloudformation/member-role.yaml")),
      ...cfnPolicyActions(loadTemplate("cloudformation/management-roles.yaml")),
      ...Object.values(localLists(readModule())).flat(),
      ...findBlocks(readModule(), "statement").flatMap((s) => tfStatementActions(s.body, localLists(readModule()))),
    ];
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter(isForbiddenAction)).toEqual([]);
    for (const role of ROLE_KEYS) expect(readPolicy(role).Statement.every((s) => s.Effect === "Allow" && !s.NotAction)).toBe(true);
  });

  it("has a trust policy naming one principal with the external id condition", () => {
    const trust = JSON.parse(readDeployFile("iam/trust-policy.json")) as PolicyDocument;
    expect(trust.Statement).toEqual([
      { Sid: "PortwatchAssumeRole", Effect: "Allow", Principal: { AWS: "<PORTWATCH_PRINCIPAL_ARN>" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "<EXTERNAL_ID>" } } },
    ]);
  });

  it("lets Portwatch's principal assume exactly the three roles", () => {
    const assume = readPolicy("principal").Statement.find((s) => asList(s.Action).includes("sts:AssumeRole"))!;
    expect(asList(assume.Resource).map((arn) => arn.split(":role/")[1]).sort()).toEqual(Object.values(EXPECTED_ROLE_NAMES).sort());
  });

  it("explains every action in deploy/README.md, and the README links it", () => {
    const guide = readDeployFile("README.md");
    for (const role of ROLE_KEYS) for (const action of statementActions(readPolicy(role).Statement)) expect(guide, action).toContain(`\`${action}\``);
    expect(readDeployFile("../README.md")).toMatch(/\]\(deploy\/README\.md\)/);
  });
});

/** The actions of every inline policy in a template, both branches of an Fn::If included. */
function cfnPolicyActions(template: CfnTemplate): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "Action") out.push(...asList(value as string | string[]));
      else walk(value);
    }
  };
  for (const resource of Object.values(template.Resources)) walk((resource.Properties.Policies as unknown[]) ?? []);
  return out;
}

describe("CloudFormation templates", () => {
  const principal = "arn:aws:iam::999999999999:role/portwatch-collector";
  const trustFor = (externalId: string) => [
    { Sid: "PortwatchAssumeRole", Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } },
  ];

  it("parse, and every Ref, Sub, GetAtt and Condition name resolves", () => {
    for (const file of ["cloudformation/member-role.yaml", "cloudformation/management-roles.yaml"]) {
      const template = loadTemplate(file);
      expect(template.AWSTemplateFormatVersion, file).toBe("2010-09-09");
      expect(unresolvedNames(template), file).toEqual([]);
    }
    // The resolver notices a dangling name.
    const broken = loadTemplate("cloudformation/member-role.yaml");
    broken.Resources.PortwatchReadOnlyRole.Properties.RoleName = { Ref: "RoleNme" };
    broken.Resources.PortwatchReadOnlyRole.Properties.Description = { "Fn::Sub": "x ${Missing} ${AWS::Region}" };
    expect(unresolvedNames(broken)).toEqual(["Ref RoleNme at Resources.PortwatchReadOnlyRole.Properties.RoleName.Ref", "Fn::Sub ${Missing} at Resources.PortwatchReadOnlyRole.Properties.Description.Fn::Sub"]);
  });

  it("member role: trusts only the principal with the external id, one-hour sessions, deploy/iam's policy", () => {
    const template = loadTemplate("cloudformation/member-role.yaml");
    const externalId = sandbox.organization.externalId;
    const member = readPolicy("member");
    for (const include of ["true", "false"]) {
      const resources = renderTemplate(template, { PortwatchPrincipalArn: principal, ExternalId: externalId, IncludeManifestRead: include });
      expect(Object.values(resources).map((r) => r.Type)).toEqual(["AWS::IAM::Role"]);
      const role = resources.PortwatchReadOnlyRole.Properties;
      expect(role.RoleName).toBe(EXPECTED_ROLE_NAMES.member);
      expect(role.MaxSessionDuration).toBe(3600);
      expect(role.AssumeRolePolicyDocument).toEqual({ Version: "2012-10-17", Statement: trustFor(externalId) });
      const statements = include === "true" ? member.Statement : member.Statement.filter((s) => s.Sid !== MANIFEST_SID);
      expect(role.Policies).toEqual([{ PolicyName: "PortwatchReadOnly", PolicyDocument: { Version: member.Version, Statement: statements } }]);
    }
  });

  it("management roles: the org reader and cost reader, each optional, with deploy/iam's policies", () => {
    const template = loadTemplate("cloudformation/management-roles.yaml");
    const externalId = "pw-3f9c0c1e6a";
    const both = renderTemplate(template, { PortwatchPrincipalArn: principal, ExternalId: externalId });
    expect(Object.entries(both).map(([id, r]) => [id, r.Type])).toEqual([
      ["OrgReaderRole", "AWS::IAM::Role"],
      ["CostReaderRole", "AWS::IAM::Role"],
    ]);
    for (const [id, key] of [["OrgReaderRole", "orgReader"], ["CostReaderRole", "costReader"]] as const) {
      const role = both[id].Properties;
      expect(role.RoleName).toBe(EXPECTED_ROLE_NAMES[key]);
      expect(role.MaxSessionDuration).toBe(3600);
      expect(role.AssumeRolePolicyDocument).toEqual({ Version: "2012-10-17", Statement: trustFor(externalId) });
      expect(role.Policies).toEqual([{ PolicyName: EXPECTED_ROLE_NAMES[key], PolicyDocument: readPolicy(key) }]);
    }
    expect(Object.keys(renderTemplate(template, { PortwatchPrincipalArn: principal, ExternalId: externalId, CreateCostReader: "false" }))).toEqual(["OrgReaderRole"]);
    expect(Object.keys(renderTemplate(template, { PortwatchPrincipalArn: principal, ExternalId: externalId, CreateOrgReader: "false" }))).toEqual(["CostReaderRole"]);
    expect(template.Outputs?.OrgReaderRoleArn.Condition).toBe(template.Resources.OrgReaderRole.Condition);
    expect(template.Outputs?.CostReaderRoleArn.Condition).toBe(template.Resources.CostReaderRole.Condition);
  });

  it("accept this installation's external id and principal, and refuse a wildcard principal or a malformed id", () => {
    for (const file of ["cloudformation/member-role.yaml", "cloudformation/management-roles.yaml"]) {
      const { Parameters: p } = loadTemplate(file);
      expect(parameterProblem("ExternalId", p.ExternalId, sandbox.organization.externalId), file).toBeNull();
      expect(parameterProblem("PortwatchPrincipalArn", p.PortwatchPrincipalArn, `arn:aws:iam::${sandbox.organization.managementAccountId}:user/portwatch`), file).toBeNull();
      expect(parameterProblem("PortwatchPrincipalArn", p.PortwatchPrincipalArn, "arn:aws:iam::999999999999:root"), file).toBeNull();
      expect(parameterProblem("PortwatchPrincipalArn", p.PortwatchPrincipalArn, "arn:aws:iam::*:root"), file).not.toBeNull();
      expect(parameterProblem("PortwatchPrincipalArn", p.PortwatchPrincipalArn, "*"), file).not.toBeNull();
      expect(parameterProblem("ExternalId", p.ExternalId, "has space"), file).not.toBeNull();
      expect(parameterProblem("ExternalId", p.ExternalId, "x"), file).not.toBeNull();
    }
  });
});

describe("Terraform module", () => {
  const tf = readModule();
  const locals = localLists(tf);
  const documentStatements = (name: string) =>
    findBlock(tf, "data", "aws_iam_policy_document", name).body
      .split(/(?=\n\s*(?:statement|dynamic\s+"statement")\s*\{)/)
      .filter((part) => /^\n\s*(statement|dynamic)/.test(part))
      .map((body) => ({ sid: attribute(body, "sid")?.replace(/"/g, ""), actions: tfStatementActions(body, locals), forEach: attribute(body, "for_each") }));

  it("grants the same actions, statement by statement, as deploy/iam", () => {
    const member = readPolicy("member");
    expect(documentStatements("member")).toEqual([
      { sid: "PortwatchReadOnly", actions: asList(member.Statement[0].Action), forEach: undefined },
      { sid: MANIFEST_SID, actions: ["ecr:BatchGetImage"], forEach: "var.include_manifest_read ? [1] : []" },
    ]);
    for (const [doc, key] of [["org_reader", "orgReader"], ["cost_reader", "costReader"]] as const) {
      const policy = readPolicy(key);
      expect(documentStatements(doc), doc).toEqual(policy.Statement.map((s) => ({ sid: s.Sid, actions: asList(s.Action), forEach: undefined })));
    }
  });

  it("trusts only the principal variable, with the external id, for every role", () => {
    const [statement, ...others] = findBlocks(findBlock(tf, "data", "aws_iam_policy_document", "trust").body, "statement");
    expect(others).toEqual([]);
    expect(stringList(attribute(statement.body, "actions")!)).toEqual(["sts:AssumeRole"]);
    const principals = findBlock(statement.body, "principals").body;
    expect([attribute(principals, "type"), attribute(principals, "identifiers")]).toEqual(['"AWS"', "[var.portwatch_principal_arn]"]);
    const condition = findBlock(statement.body, "condition").body;
    expect([attribute(condition, "test"), attribute(condition, "variable"), attribute(condition, "values")]).toEqual(['"StringEquals"', '"sts:ExternalId"', "[var.external_id]"]);
  });

  it("makes each role optional, one-hour, named as Portwatch expects, with its own policy", () => {
    const variables = declaredVariables(tf);
    for (const [name, key, create] of [["member", "member", "create_member_role"], ["org_reader", "orgReader", "create_org_reader"], ["cost_reader", "costReader", "create_cost_reader"]] as const) {
      const role = findBlock(tf, "resource", "aws_iam_role", name).body;
      expect(attribute(role, "count")).toBe(`var.${create} ? 1 : 0`);
      expect(attribute(role, "max_session_duration")).toBe("3600");
      expect(attribute(role, "assume_role_policy")).toBe("data.aws_iam_policy_document.trust.json");
      expect(variables[`${name}_role_name`]?.default).toBe(EXPECTED_ROLE_NAMES[key]);
      expect(attribute(role, "name")).toBe(`var.${name}_role_name`);
      const policy = findBlock(tf, "resource", "aws_iam_role_policy", name).body;
      expect([attribute(policy, "count"), attribute(policy, "role"), attribute(policy, "policy")]).toEqual([`var.${create} ? 1 : 0`, `aws_iam_role.${name}[0].id`, `data.aws_iam_policy_document.${name}.json`]);
    }
    expect(findBlocks(tf, "resource").map((b) => b.labels[1]).sort()).toEqual(["aws_iam_role", "aws_iam_role", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy", "aws_iam_role_policy"]);
  });

  it("declares every variable and local it uses, and uses every variable it declares", () => {
    expect(usedNames(tf, "var")).toEqual(Object.keys(declaredVariables(tf)).sort());
    const defined = new Set(definedLocals(tf));
    expect(usedNames(tf, "local").filter((n) => !defined.has(n))).toEqual([]);
    expect(Object.keys(locals).sort()).toEqual(["cost_reader_actions", "member_manifest_actions", "member_read_actions", "org_reader_actions"]);
  });
});
