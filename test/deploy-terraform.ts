import { readdirSync } from "node:fs";
import path from "node:path";
import { DEPLOY_DIR, readDeployFile } from "./deploy-iam";

/**
 * Just enough reading of the Terraform module (Terraform is not installed here) to compare it
 * with deploy/iam and the CloudFormation templates: blocks by their labels, attributes as their
 * source text, string lists, and the var./local. names used and defined.
 */

export const MODULE_DIR = path.join("terraform", "portwatch-roles");

export interface HclBlock {
  /** e.g. ["resource", "aws_iam_role", "member"] or ["statement"] or ["dynamic", "statement"]. */
  labels: string[];
  body: string;
}

export function readModule(): string {
  return readdirSync(path.join(DEPLOY_DIR, MODULE_DIR))
    .filter((f) => f.endsWith(".tf"))
    .sort()
    .map((f) => readDeployFile(path.join(MODULE_DIR, f)))
    .join("\n")
    .replace(/^\s*(#|\/\/).*$/gm, "");
}

/** The body of the block whose `{` is at `open` (braces inside strings ignored). */
function bodyAt(text: string, open: number): string {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after: ${text.slice(open, open + 60)}`);
}

/** Blocks of a given type directly or anywhere inside `text` (e.g. "resource", "statement"). */
export function findBlocks(text: string, type: string): HclBlock[] {
  const header = new RegExp(`(?:^|\\s)(${type}((?:\\s+"[^"]*")*))\\s*\\{`, "g");
  return [...text.matchAll(header)].map((m) => ({
    labels: [type, ...[...m[2].matchAll(/"([^"]*)"/g)].map((l) => l[1])],
    body: bodyAt(text, m.index + m[0].length - 1),
  }));
}

export function findBlock(text: string, ...labels: string[]): HclBlock {
  const found = findBlocks(text, labels[0]).filter((b) => labels.every((l, i) => b.labels[i] === l));
  if (found.length !== 1) throw new Error(`expected one block ${labels.join(" ")}, found ${found.length}`);
  return found[0];
}

/** An attribute's expression as written (`= <expr>` up to the end of line or its closing bracket). */
export function attribute(body: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\n)\\s*${name}\\s*=\\s*(\\[[^\\]]*\\]|[^\\n]+)`).exec(body);
  return m?.[1].trim();
}

export function stringList(expression: string): string[] {
  if (!/^\[[\s\S]*\]$/.test(expression)) throw new Error(`not a list literal: ${expression}`);
  return [...expression.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

export function unquote(expression: string | undefined): string | undefined {
  return expression && /^"[^"]*"$/.test(expression) ? expression.slice(1, -1) : expression;
}

/** The module's locals that are string lists. */
export function localLists(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const block of findBlocks(text, "locals")) {
    for (const m of block.body.matchAll(/(?:^|\n)\s*(\w+)\s*=\s*(\[[^\]]*\])/g)) out[m[1]] = stringList(m[2]);
  }
  return out;
}

/** A statement's actions: a list literal or a local list. */
export function statementActions(statement: string, locals: Record<string, string[]>): string[] {
  const expression = attribute(statement, "actions");
  if (!expression) throw new Error(`a statement without actions: ${statement.trim().slice(0, 80)}`);
  const local = /^local\.(\w+)$/.exec(expression);
  if (local) {
    const list = locals[local[1]];
    if (!list) throw new Error(`local.${local[1]} is not a list local`);
    return list;
  }
  return stringList(expression);
}

export function usedNames(text: string, kind: "var" | "local"): string[] {
  return [...new Set([...text.matchAll(new RegExp(`\\b${kind}\\.(\\w+)`, "g"))].map((m) => m[1]))].sort();
}

export function declaredVariables(text: string): Record<string, { default?: string; type?: string }> {
  const out: Record<string, { default?: string; type?: string }> = {};
  for (const block of findBlocks(text, "variable")) out[block.labels[1]] = { default: unquote(attribute(block.body, "default")), type: attribute(block.body, "type") };
  return out;
}

export function definedLocals(text: string): string[] {
  return findBlocks(text, "locals").flatMap((b) => [...b.body.matchAll(/(?:^|\n)\s*(\w+)\s*=/g)].map((m) => m[1]));
}
