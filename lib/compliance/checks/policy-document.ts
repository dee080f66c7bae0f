import { boundedCache } from "./bounded-cache";

/**
 * IAM resource policies (ECR repository and registry policies) as the checks read them: parsed
 * once per distinct text, with Statement, Principal, Action and Condition normalised to arrays.
 * Tolerant by design: AWS validated the policy when it was set, so odd shapes are read as far as
 * they go rather than rejected; only text that is not JSON at all is reported as unparseable.
 */

export interface PolicyPrincipal {
  /** `"Principal": "*"`. */
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

/** Operator (as written, e.g. "StringEquals") -> condition key (as written) -> values. */
export type PolicyCondition = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  /** Position in the Statement list, from 0. */
  index: number;
  sid: string | null;
  /** "Allow" or "Deny" as written (compare case-insensitively: AWS accepts only these two). */
  effect: string;
  /** Principal, or NotPrincipal when `notPrincipal` is set; null when neither is present. */
  principal: PolicyPrincipal | null;
  notPrincipal: boolean;
  /** Action, or NotAction when `notAction` is set. */
  actions: string[];
  notAction: boolean;
  condition: PolicyCondition | null;
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; error: string };

/** The reason a check gives when the policy text cannot be judged. */
export const INVALID_POLICY_REASON = "policy is not valid JSON";

// The same few policies repeat across thousands of repositories (an org-wide pull statement):
// parsing each distinct text once keeps the evaluator fast. Bounded so a scale run cannot grow it without end.
const parseCached = boundedCache(parseUncached, 2_000);

export function parsePolicy(text: string): ParsedPolicy {
  return parseCached(text);
}

function parseUncached(text: string): ParsedPolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!isObject(document)) return { ok: false, error: "the policy is not a JSON object" };
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((s, index) => {
    if (!isObject(s)) return;
    const hasNotPrincipal = s.NotPrincipal !== undefined && s.Principal === undefined;
    const hasNotAction = s.NotAction !== undefined && s.Action === undefined;
    statements.push({
      index,
      sid: typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : null,
      effect: typeof s.Effect === "string" ? s.Effect : "",
      principal: normalisePrincipal(hasNotPrincipal ? s.NotPrincipal : s.Principal),
      notPrincipal: hasNotPrincipal,
      actions: strings(hasNotAction ? s.NotAction : s.Action),
      notAction: hasNotAction,
      condition: normaliseCondition(s.Condition),
    });
  });
  return { ok: true, statements };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean").map(String);
}

function normalisePrincipal(value: unknown): PolicyPrincipal | null {
  if (value === undefined || value === null) return null;
  const principal: PolicyPrincipal = { any: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (typeof value === "string") {
    if (value === "*") principal.any = true;
    else principal.aws.push(value);
    return principal;
  }
  if (!isObject(value)) return principal;
  for (const [key, entries] of Object.entries(value)) {
    const list = strings(entries);
    switch (key.toLowerCase()) {
      case "aws":
        principal.aws.push(...list);
        break;
      case "service":
        principal.service.push(...list);
        break;
      case "federated":
        principal.federated.push(...list);
        break;
      case "canonicaluser":
        principal.canonicalUser.push(...list);
        break;
    }
  }
  return principal;
}

function normaliseCondition(value: unknown): PolicyCondition | null {
  if (!isObject(value)) return null;
  const condition: PolicyCondition = {};
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) continue;
    const keys: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(block)) keys[key] = strings(values);
    condition[operator] = keys;
  }
  return condition;
}

export function isAllow(statement: PolicyStatement): boolean {
  return statement.effect.toLowerCase() === "allow";
}

/** "Sid PublicPull" or "statement #2" (1-based, as a person counts). */
export function statementLabel(statement: PolicyStatement): string {
  return statement.sid ? `statement ${statement.sid}` : `statement #${statement.index + 1}`;
}

/** "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer", or "every action but ecr:DeleteRepository". */
export function describeActions(statement: PolicyStatement, limit = 5): string {
  const shown = statement.actions.slice(0, limit).join(", ");
  const more = statement.actions.length > limit ? ` and ${statement.actions.length - limit} more` : "";
  if (statement.notAction) return statement.actions.length ? `every action but ${shown}${more}` : "every action";
  return statement.actions.length ? `${shown}${more}` : "no action";
}

// `arn:aws:iam::*:root` and its partitions: any principal of any account. Any ARN whose account
// field is a wildcard is read the same way: AWS does not match partial principal ARNs, so the
// only safe reading of such a principal is "anyone".
const WILDCARD_ACCOUNT_ARN = /^arn:aws(?:-cn|-us-gov|-iso[a-z-]*)?:(?:iam|sts)::[*?]+:/i;

/** Everyone: `*`, `{"AWS": "*"}`, `arn:<partition>:iam::*:root`. */
export function isPublicPrincipal(principal: PolicyPrincipal | null): boolean {
  if (!principal) return false;
  if (principal.any) return true;
  return principal.aws.some((p) => p === "*" || WILDCARD_ACCOUNT_ARN.test(p));
}

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/i;

/** The 12-digit account ids a principal names (bare ids, or iam/sts ARNs: root, role, user, assumed-role, federated providers). Service principals name no account. */
export function principalAccounts(principal: PolicyPrincipal | null): string[] {
  if (!principal) return [];
  const accounts = new Set<string>();
  for (const entry of [...principal.aws, ...principal.federated]) {
    if (ACCOUNT_ID.test(entry)) accounts.add(entry);
    else {
      const match = PRINCIPAL_ARN.exec(entry);
      if (match) accounts.add(match[1]);
    }
  }
  return [...accounts];
}

/** Condition keys that confine a public principal to known callers. */
const RESTRICTING_KEYS = new Set(["aws:sourceaccount", "aws:sourcearn", "aws:principalorgid", "aws:principalaccount", "aws:sourcevpce", "aws:sourcevpc"]);

/**
 * Whether an operator limits a key to the values given. Negated operators (StringNotEquals, ...)
 * admit everyone else; Null only tests presence; `...IfExists` and `ForAllValues:` also pass a
 * request that lacks the key (a caller outside any VPC endpoint has no aws:SourceVpce).
 */
function restrictingOperator(operator: string): boolean {
  const op = operator.toLowerCase();
  if (op.startsWith("forallvalues:")) return false;
  const base = op.startsWith("foranyvalue:") ? op.slice("foranyvalue:".length) : op;
  if (base.endsWith("ifexists")) return false;
  if (base.includes("not") || base === "null") return false;
  return base.startsWith("string") || base.startsWith("arn");
}

const ID_PREFIX: Record<string, string> = { "aws:principalorgid": "o-", "aws:sourcevpce": "vpce-", "aws:sourcevpc": "vpc-" };
const WILDCARD_ONLY = /^[*?]*$/;

/**
 * A value that picks out particular callers: not empty and not wildcard-only. For the `...Like`
 * operators a pattern that wildcards the identifying part is not concrete either (`o-*`, `vpce-*`,
 * an ARN pattern with no account or resource).
 */
function concreteValue(key: string, value: string, like: boolean): boolean {
  if (WILDCARD_ONLY.test(value)) return false;
  if (!like) return true;
  const prefix = ID_PREFIX[key];
  if (prefix && value.toLowerCase().startsWith(prefix) && WILDCARD_ONLY.test(value.slice(prefix.length))) return false;
  if (key === "aws:sourcearn") {
    const parts = value.split(":");
    // arn:partition:service:region:account:resource — concrete when account or resource is.
    const identifying = [parts[4] ?? "", parts.slice(5).join(":")];
    if (identifying.every((p) => WILDCARD_ONLY.test(p))) return false;
  }
  return true;
}

/** A condition block that holds a public principal to an account, organisation, source or network (CONTROLS.md, policy-not-public). */
export function hasRestrictingCondition(condition: PolicyCondition | null): boolean {
  if (!condition) return false;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!restrictingOperator(operator)) continue;
    const like = operator.toLowerCase().endsWith("like");
    for (const [rawKey, values] of Object.entries(keys)) {
      const key = rawKey.toLowerCase();
      if (!RESTRICTING_KEYS.has(key)) continue;
      // One wildcard among the values lets everyone through: every value must be concrete.
      if (values.length > 0 && values.every((v) => concreteValue(key, v, like))) return true;
    }
  }
  return false;
}

const ACCOUNT_CONDITION_KEYS = new Set(["aws:principalaccount", "aws:sourceaccount"]);
const ARN_CONDITION_KEYS = new Set(["aws:principalarn", "aws:sourcearn"]);
const ARN_ACCOUNT = /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/;

/**
 * Accounts a condition admits by name: aws:PrincipalAccount / aws:SourceAccount values and the
 * account field of aws:PrincipalArn / aws:SourceArn, under operators that limit to those values.
 * An Allow to `*` held to an outside account grants that account as surely as naming it.
 */
export function conditionAccounts(condition: PolicyCondition | null): string[] {
  if (!condition) return [];
  const accounts = new Set<string>();
  for (const [operator, keys] of Object.entries(condition)) {
    if (!restrictingOperator(operator)) continue;
    for (const [rawKey, values] of Object.entries(keys)) {
      const key = rawKey.toLowerCase();
      for (const value of values) {
        if (ACCOUNT_CONDITION_KEYS.has(key) && ACCOUNT_ID.test(value)) accounts.add(value);
        else if (ARN_CONDITION_KEYS.has(key)) {
          const match = ARN_ACCOUNT.exec(value);
          if (match) accounts.add(match[1]);
        }
      }
    }
  }
  return [...accounts];
}
