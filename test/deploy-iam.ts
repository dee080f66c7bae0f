import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * deploy/iam's policies, and how a sandbox call-log key (`<SigV4 signing name>:<Operation>`)
 * becomes the IAM action that authorises it and the role that makes it.
 */

export const DEPLOY_DIR = path.resolve(import.meta.dirname, "..", "deploy");

export type RoleKey = "member" | "orgReader" | "costReader" | "principal";
export const ROLE_KEYS: readonly RoleKey[] = ["member", "orgReader", "costReader", "principal"];

/** Each role's permissions policy in deploy/iam. */
export const POLICY_FILES: Record<RoleKey, string> = {
  member: "member-read-only-policy.json",
  orgReader: "org-reader-policy.json",
  costReader: "cost-reader-policy.json",
  principal: "portwatch-principal-policy.json",
};

/** The member policy's optional statement: ecr:BatchGetImage alone. */
export const MANIFEST_SID = "OptionalManifestsOnlyForLayerAccurateCost";

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
  NotAction?: unknown;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export function readDeployFile(relative: string): string {
  return readFileSync(path.join(DEPLOY_DIR, relative), "utf8");
}

export function readPolicy(role: RoleKey): PolicyDocument {
  return JSON.parse(readDeployFile(path.join("iam", POLICY_FILES[role]))) as PolicyDocument;
}

export const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function statementActions(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((s) => asList(s.Action));
}

/**
 * SigV4 signing name -> IAM service prefix, for every service the collector talks to. A new
 * service fails the test until someone checks its prefix in AWS's Service Authorization
 * Reference (for these nine the signing name and the prefix are the same word).
 */
const IAM_PREFIX: Record<string, string> = {
  ecr: "ecr",
  inspector2: "inspector2",
  kms: "kms",
  cloudtrail: "cloudtrail",
  guardduty: "guardduty",
  ec2: "ec2",
  ce: "ce",
  organizations: "organizations",
  sts: "sts",
};

/**
 * Operations authorised by an action of another name (S3's ListObjectsV2 -> s3:ListBucket is the
 * classic case). None of the operations the collector calls is one: each is authorised by the
 * action of its own name, checked against the Service Authorization Reference's action tables.
 */
const ACTION_OF_OPERATION: Record<string, string> = {};

export function iamActionOf(callKey: string): string {
  const [signingName, operation, ...rest] = callKey.split(":");
  if (!operation || rest.length) throw new Error(`"${callKey}" is not <signing name>:<Operation>`);
  const prefix = IAM_PREFIX[signingName];
  if (!prefix) throw new Error(`no IAM prefix known for the signing name "${signingName}" (call ${callKey}): add it to IAM_PREFIX after checking AWS's reference`);
  return ACTION_OF_OPERATION[callKey] ?? `${prefix}:${operation}`;
}

/** Which role makes an action: Cost Explorer the cost reader, Organizations the org reader, STS Portwatch itself. */
export function roleOfAction(action: string): RoleKey {
  const prefix = action.split(":")[0];
  if (prefix === "ce") return "costReader";
  if (prefix === "organizations") return "orgReader";
  if (prefix === "sts") return "principal";
  return "member";
}

export function actionsByRole(callKeys: Iterable<string>): Record<RoleKey, string[]> {
  const out: Record<RoleKey, Set<string>> = { member: new Set(), orgReader: new Set(), costReader: new Set(), principal: new Set() };
  for (const key of callKeys) {
    const action = iamActionOf(key);
    out[roleOfAction(action)].add(action);
  }
  return { member: sorted(out.member), orgReader: sorted(out.orgReader), costReader: sorted(out.costReader), principal: sorted(out.principal) };
}

export function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** An action whose name starts with a write verb, or the layer download; matched on the part after the prefix. */
const WRITE_VERB = /^(Put|Create|Delete|Set|Update|Tag|Untag|Start|Upload|Complete|Initiate|Replicate|Batch(Delete|Put))/;

export function isForbiddenAction(action: string): boolean {
  const name = action.slice(action.indexOf(":") + 1);
  return WRITE_VERB.test(name) || name === "GetDownloadUrlForLayer" || /[*?]/.test(action);
}
