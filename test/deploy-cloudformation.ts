import { CORE_SCHEMA, load, Type } from "js-yaml";
import { readDeployFile } from "./deploy-iam";

/**
 * CloudFormation templates read the way CloudFormation reads them: the short-form tags become
 * their long form ({ Ref }, { "Fn::If" }, ...), names are checked to resolve, and a template is
 * rendered for given parameter values (conditions decided, AWS::NoValue dropped) so the test
 * compares what would be created, not the YAML's spelling.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface CfnParameter {
  Type: string;
  Default?: string;
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  Properties: JsonObject;
}

export interface CfnTemplate {
  AWSTemplateFormatVersion: string;
  Description?: string;
  Parameters: Record<string, CfnParameter>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Condition?: string; Value: Json }>;
}

export const PSEUDO_PARAMETERS = ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

/** Short form -> long form key. `!GetAtt A.B` is also split into [A, B] as CloudFormation does. */
const TAGS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  Sub: "Fn::Sub",
  If: "Fn::If",
  Equals: "Fn::Equals",
  Not: "Fn::Not",
  And: "Fn::And",
  Or: "Fn::Or",
  GetAtt: "Fn::GetAtt",
  Join: "Fn::Join",
  Select: "Fn::Select",
};

const CFN_SCHEMA = CORE_SCHEMA.extend(
  Object.entries(TAGS).flatMap(([tag, key]) =>
    (["scalar", "sequence", "mapping"] as const).map(
      (kind) =>
        new Type(`!${tag}`, {
          kind,
          construct: (data) => ({ [key]: tag === "GetAtt" && typeof data === "string" ? data.split(".") : data }),
        }),
    ),
  ),
);

export function loadTemplate(relative: string): CfnTemplate {
  return load(readDeployFile(relative), { schema: CFN_SCHEMA, filename: relative }) as CfnTemplate;
}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/** `${Name}` and `${Resource.Attribute}` in a Fn::Sub string; `${!Literal}` is not a reference. */
function subReferences(text: string): string[] {
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].map((m) => m[1].trim());
}

/**
 * Every name a Ref, Fn::Sub, Fn::GetAtt, Fn::If or Condition uses that the template does not
 * define (as a Parameter, Resource, Condition or pseudo parameter), as "<what> <name> at <path>".
 */
export function unresolvedNames(template: CfnTemplate): string[] {
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const resources = new Set(Object.keys(template.Resources ?? {}));
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const valueNames = new Set([...parameters, ...resources, ...PSEUDO_PARAMETERS]);
  const problems: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${at}[${i}]`));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}.${key}`;
      if (key === "Ref" && typeof value === "string" && !valueNames.has(value)) problems.push(`Ref ${value} at ${here}`);
      if (key === "Condition" && typeof value === "string" && !conditions.has(value)) problems.push(`Condition ${value} at ${here}`);
      if (key === "Fn::If" && Array.isArray(value) && !conditions.has(String(value[0]))) problems.push(`Fn::If condition ${String(value[0])} at ${here}`);
      if (key === "Fn::GetAtt" && Array.isArray(value) && !resources.has(String(value[0]))) problems.push(`Fn::GetAtt ${String(value[0])} at ${here}`);
      if (key === "Fn::Sub") {
        const [text, variables] = Array.isArray(value) ? [String(value[0]), isObject(value[1]) ? value[1] : {}] : [String(value), {}];
        for (const name of subReferences(text)) {
          const head = name.includes("::") ? name : name.split(".")[0];
          if (!valueNames.has(head) && !Object.hasOwn(variables, head)) problems.push(`Fn::Sub \${${name}} at ${here}`);
        }
      }
      walk(value, here);
    }
  };
  walk(template.Conditions, "Conditions");
  walk(template.Resources, "Resources");
  walk(template.Outputs, "Outputs");
  return problems;
}

/** A parameter value CloudFormation would refuse, with the reason; null when accepted. */
export function parameterProblem(name: string, parameter: CfnParameter, value: string): string | null {
  if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) return `${name}: "${value}" is not one of ${parameter.AllowedValues.join(", ")}`;
  // CloudFormation matches AllowedPattern against the whole value.
  if (parameter.AllowedPattern && !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(value)) return `${name}: "${value}" does not match ${parameter.AllowedPattern}`;
  if (parameter.MinLength !== undefined && value.length < parameter.MinLength) return `${name}: shorter than ${parameter.MinLength}`;
  if (parameter.MaxLength !== undefined && value.length > parameter.MaxLength) return `${name}: longer than ${parameter.MaxLength}`;
  return null;
}

const NO_VALUE = Symbol("AWS::NoValue");

/**
 * The resources CloudFormation would create for these parameter values (defaults for the rest):
 * conditions decided, Fn::If chosen, AWS::NoValue removed, Refs to parameters replaced; a Ref
 * to a resource or GetAtt stays visible as "<Resource>" / "<Resource.Attribute>".
 */
export function renderTemplate(template: CfnTemplate, values: Record<string, string>): Record<string, CfnResource> {
  const params: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(template.Parameters)) {
    const value = values[name] ?? parameter.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no value and no default`);
    const problem = parameterProblem(name, parameter, value);
    if (problem) throw new Error(problem);
    params[name] = value;
  }
  for (const name of Object.keys(values)) if (!Object.hasOwn(template.Parameters, name)) throw new Error(`the template has no parameter ${name}`);
  const pseudo: Record<string, string> = { "AWS::AccountId": "123456789012", "AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::StackName": "portwatch-stack", "AWS::URLSuffix": "amazonaws.com" };

  const conditionCache = new Map<string, boolean>();
  const condition = (name: string): boolean => {
    if (!conditionCache.has(name)) {
      const expression = template.Conditions?.[name];
      if (expression === undefined) throw new Error(`no condition ${name}`);
      conditionCache.set(name, evaluate(expression) === true);
    }
    return conditionCache.get(name)!;
  };

  function evaluate(node: Json): Json | typeof NO_VALUE {
    if (Array.isArray(node)) return node.map(evaluate).filter((v): v is Json => v !== NO_VALUE);
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = node[key];
      switch (key) {
        case "Ref": {
          const name = String(arg);
          if (name === "AWS::NoValue") return NO_VALUE;
          if (Object.hasOwn(params, name)) return params[name];
          if (Object.hasOwn(pseudo, name)) return pseudo[name];
          return `<${name}>`;
        }
        case "Condition":
          if (typeof arg === "string") return condition(arg);
          break;
        case "Fn::If": {
          const [name, whenTrue, whenFalse] = arg as [string, Json, Json];
          return evaluate(condition(name) ? whenTrue : whenFalse);
        }
        case "Fn::Equals": {
          const [a, b] = (arg as Json[]).map(evaluate);
          return a === b;
        }
        case "Fn::Not":
          return evaluate((arg as Json[])[0]) !== true;
        case "Fn::And":
          return (arg as Json[]).every((c) => evaluate(c) === true);
        case "Fn::Or":
          return (arg as Json[]).some((c) => evaluate(c) === true);
        case "Fn::GetAtt":
          return `<${(arg as string[]).join(".")}>`;
        case "Fn::Sub": {
          const [text, variables] = Array.isArray(arg) ? [String(arg[0]), isObject(arg[1]) ? arg[1] : {}] : [String(arg), {}];
          return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
            if (Object.hasOwn(variables, name)) return String(evaluate(variables[name]));
            if (Object.hasOwn(params, name)) return params[name];
            if (Object.hasOwn(pseudo, name)) return pseudo[name];
            return `<${name}>`;
          });
        }
      }
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const resolved = evaluate(value);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  const rendered: Record<string, CfnResource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Condition && !condition(resource.Condition)) continue;
    rendered[id] = { Type: resource.Type, Properties: evaluate(resource.Properties) as JsonObject };
  }
  return rendered;
}
