import type { CountType, LifecyclePolicy, LifecycleRule, PolicyError, PolicyValidation } from "./types";

/**
 * Validates a lifecycle policy as ECR's PutLifecyclePolicy does, but reports every problem at
 * once, each with its JSON path (rules are numbered from 0, as in the JSON array).
 *
 * Sources: "Lifecycle policy properties in Amazon ECR" (lifecycle_policy_parameters.html), the
 * evaluation rules in "Automate the cleanup of images by using lifecycle policies"
 * (LifecyclePolicies.html), "Examples of lifecycle policies" (lifecycle_policy_examples.html,
 * for the archive combinations and the 90-day minimum), and the PutLifecyclePolicy API reference
 * (text length 100..30720 characters).
 */

export const POLICY_TEXT_MIN_LENGTH = 100;
export const POLICY_TEXT_MAX_LENGTH = 30_720;
export const MAX_WILDCARDS_PER_PATTERN = 4;
/** Archived images must stay in archive this long before a lifecycle rule may expire them. */
export const ARCHIVE_MINIMUM_DAYS = 90;

const TAG_STATUSES = ["tagged", "untagged", "any"] as const;
const COUNT_TYPES: readonly CountType[] = ["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"];
const STORAGE_CLASSES = ["standard", "archive"] as const;
const ACTION_TYPES = ["expire", "transition"] as const;

const POLICY_KEYS = ["rules"];
const RULE_KEYS = ["rulePriority", "description", "selection", "action"];
const SELECTION_KEYS = ["tagStatus", "tagPatternList", "tagPrefixList", "countType", "countUnit", "countNumber", "storageClass"];
const ACTION_KEYS = ["type", "targetStorageClass"];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);
// A key set to undefined (only possible from code, never from JSON) counts as absent.
const has = (object: Json, key: string) => Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;
const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** "a string ("5")", "null", "an array"...: what the value is, for "must be X, not Y". */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `a string (${quote(value)})`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `a boolean (${value})`;
  return typeof value === "object" ? "an object" : typeof value;
}

class Collector {
  readonly errors: PolicyError[] = [];
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  /** Rejects every property outside `allowed` (ECR's schema allows no others). */
  onlyKnown(object: Json, path: string, allowed: readonly string[], what: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.add(child(path, key), `is not a property of ${what} (allowed: ${allowed.join(", ")})`);
    }
  }
}

/**
 * An enum value. Case-insensitive, as the compliance checks read stored policies
 * (lib/compliance/checks/lifecycle-rules.ts); normalised to the documented lower-case spelling.
 */
function readEnum<T extends string>(c: Collector, object: Json, key: string, path: string, values: readonly T[], required: boolean): T | undefined {
  const p = child(path, key);
  if (!has(object, key)) {
    if (required) c.add(p, `is required (one of ${values.join(", ")})`);
    return undefined;
  }
  const value = object[key];
  if (typeof value !== "string") {
    c.add(p, `must be one of ${values.join(", ")}, not ${describe(value)}`);
    return undefined;
  }
  const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
  if (!found) c.add(p, `must be one of ${values.join(", ")}, not ${quote(value)}`);
  return found;
}

/** A whole number of at least `min`; a numeric string is named as the wrong type ECR rejects. */
function readInteger(c: Collector, object: Json, key: string, path: string, min: number, required: boolean): number | undefined {
  const p = child(path, key);
  if (!has(object, key)) {
    if (required) c.add(p, `is required (an integer of at least ${min})`);
    return undefined;
  }
  const value = object[key];
  if (typeof value !== "number") {
    c.add(p, `must be an integer, not ${describe(value)}`);
    return undefined;
  }
  if (!Number.isSafeInteger(value)) {
    c.add(p, `must be an integer, not ${value}`);
    return undefined;
  }
  if (value < min) {
    c.add(p, `must be at least ${min}, not ${value}`);
    return undefined;
  }
  return value;
}

function readTagList(c: Collector, selection: Json, key: "tagPatternList" | "tagPrefixList", path: string): string[] | undefined {
  const p = child(path, key);
  const value = selection[key];
  if (!Array.isArray(value)) {
    c.add(p, `must be an array of strings, not ${describe(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    c.add(p, `must list at least one ${key === "tagPatternList" ? "tag pattern" : "tag prefix"}`);
    return undefined;
  }
  let ok = true;
  value.forEach((entry, i) => {
    const q = `${p}[${i}]`;
    if (typeof entry !== "string") {
      c.add(q, `must be a string, not ${describe(entry)}`);
      ok = false;
    } else if (entry.length === 0) {
      c.add(q, "must not be empty");
      ok = false;
    } else if (key === "tagPatternList") {
      const wildcards = entry.split("*").length - 1;
      if (wildcards > MAX_WILDCARDS_PER_PATTERN) {
        c.add(q, `${quote(entry)} has ${wildcards} wildcards (*): ECR allows at most ${MAX_WILDCARDS_PER_PATTERN} in a pattern`);
        ok = false;
      }
    }
  });
  return ok ? (value as string[]) : undefined;
}

/** A rule as far as it parsed: a field is undefined where it had an error. */
interface Draft {
  rulePriority?: number;
  description?: string | null;
  selection: { [K in keyof LifecycleRule["selection"]]?: LifecycleRule["selection"][K] };
  action: { type?: "expire" | "transition"; targetStorageClass?: "archive" };
}

interface Checked {
  path: string;
  rule: Draft;
}

function checkSelection(c: Collector, raw: unknown, path: string, out: Draft["selection"]): void {
  if (!isObject(raw)) {
    c.add(path, raw === undefined ? "is required (tagStatus, countType, countNumber...)" : `must be an object, not ${describe(raw)}`);
    return;
  }
  c.onlyKnown(raw, path, SELECTION_KEYS, "a rule's selection");

  const tagStatus = readEnum(c, raw, "tagStatus", path, TAG_STATUSES, true);
  const hasPatterns = has(raw, "tagPatternList");
  const hasPrefixes = has(raw, "tagPrefixList");
  const patterns = hasPatterns ? readTagList(c, raw, "tagPatternList", path) : undefined;
  const prefixes = hasPrefixes ? readTagList(c, raw, "tagPrefixList", path) : undefined;
  if (tagStatus === "tagged") {
    if (!hasPatterns && !hasPrefixes) c.add(path, "needs a tagPatternList or a tagPrefixList when tagStatus is tagged");
    if (hasPatterns && hasPrefixes) c.add(path, "may have a tagPatternList or a tagPrefixList, not both");
  } else if (tagStatus) {
    for (const [key, present] of [["tagPatternList", hasPatterns], ["tagPrefixList", hasPrefixes]] as const) {
      if (present) c.add(child(path, key), `is only used when tagStatus is tagged, not ${tagStatus}: remove it`);
    }
  }

  const countType = readEnumExact(c, raw, "countType", path, COUNT_TYPES);
  const storageClass = readEnum(c, raw, "storageClass", path, STORAGE_CLASSES, false);
  const since = countType !== undefined && countType !== "imageCountMoreThan";
  let countUnit: "days" | null | undefined = null;
  if (countType === "imageCountMoreThan" && has(raw, "countUnit")) {
    c.add(child(path, "countUnit"), "is only used with the sinceImagePushed, sinceImagePulled and sinceImageTransitioned count types: remove it for imageCountMoreThan");
    countUnit = undefined;
  } else if (since) {
    const unit = raw.countUnit;
    if (!has(raw, "countUnit")) c.add(child(path, "countUnit"), `is required ("days") when countType is ${countType}`);
    else if (typeof unit === "string" && unit.toLowerCase() === "days") countUnit = "days";
    else c.add(child(path, "countUnit"), `must be "days" (the only unit ECR has), not ${describe(unit)}`);
    if (countUnit !== "days") countUnit = undefined;
  } else if (countType === undefined) {
    countUnit = undefined;
  }

  const countNumber = readInteger(c, raw, "countNumber", path, 1, true);
  if (countType === "sinceImageTransitioned") {
    if (countNumber !== undefined && countNumber < ARCHIVE_MINIMUM_DAYS) {
      c.add(child(path, "countNumber"), `must be at least ${ARCHIVE_MINIMUM_DAYS} for sinceImageTransitioned, not ${countNumber}: archived images must stay in archive ${ARCHIVE_MINIMUM_DAYS} days before a lifecycle rule may expire them`);
    }
    if (!has(raw, "storageClass")) c.add(child(path, "storageClass"), "is required (archive) when countType is sinceImageTransitioned");
    else if (storageClass === "standard") c.add(child(path, "storageClass"), "must be archive when countType is sinceImageTransitioned: only archived images have a transition time");
  } else if (countType && storageClass === "archive") {
    c.add(child(path, "storageClass"), `must be standard (or omitted) when countType is ${countType}: archived images are only selected by sinceImageTransitioned`);
  }

  Object.assign(out, {
    tagStatus,
    tagPatternList: patterns ?? null,
    tagPrefixList: prefixes ?? null,
    countType,
    countUnit: since ? countUnit : null,
    countNumber,
    // Undefined when given wrong or missing for sinceImageTransitioned: such a rule joins no storage class's cross-rule checks.
    storageClass: has(raw, "storageClass") ? storageClass : countType === "sinceImageTransitioned" ? undefined : "standard",
  });
}

/** countType is case-sensitive camelCase (readEnum would accept "IMAGECOUNTMORETHAN"). */
function readEnumExact<T extends string>(c: Collector, object: Json, key: string, path: string, values: readonly T[]): T | undefined {
  const p = child(path, key);
  if (!has(object, key)) {
    c.add(p, `is required (one of ${values.join(", ")})`);
    return undefined;
  }
  const value = object[key];
  if (typeof value === "string" && (values as readonly string[]).includes(value)) return value as T;
  c.add(p, `must be one of ${values.join(", ")}, not ${typeof value === "string" ? quote(value) : describe(value)}`);
  return undefined;
}

function checkAction(c: Collector, raw: unknown, path: string, countType: CountType | undefined, out: Draft["action"]): void {
  if (!isObject(raw)) {
    c.add(path, raw === undefined ? "is required (type expire or transition)" : `must be an object, not ${describe(raw)}`);
    return;
  }
  c.onlyKnown(raw, path, ACTION_KEYS, "a rule's action");
  const type = readEnum(c, raw, "type", path, ACTION_TYPES, true);
  const target = child(path, "targetStorageClass");
  if (type === "transition") {
    const storageClass = readEnum(c, raw, "targetStorageClass", path, ["archive"] as const, true);
    if (storageClass) out.targetStorageClass = storageClass;
    if (countType === "sinceImageTransitioned") {
      c.add(child(path, "type"), "must be expire when countType is sinceImageTransitioned: the images it selects are already archived");
    }
  } else if (type === "expire") {
    if (has(raw, "targetStorageClass")) c.add(target, "is only used when type is transition: remove it for expire");
    if (countType === "sinceImagePulled") {
      c.add(child(path, "type"), "must be transition when countType is sinceImagePulled: ECR cannot expire images by pull time (transition them to archive, then expire them with sinceImageTransitioned)");
    }
  }
  out.type = type;
}

function checkRule(c: Collector, raw: unknown, index: number): Checked {
  const path = `rules[${index}]`;
  const rule: Draft = { selection: {}, action: {} };
  if (!isObject(raw)) {
    c.add(path, `must be an object with rulePriority, selection and action, not ${describe(raw)}`);
    return { path, rule };
  }
  c.onlyKnown(raw, path, RULE_KEYS, "a rule");
  rule.rulePriority = readInteger(c, raw, "rulePriority", path, 1, true);
  if (has(raw, "description") && typeof raw.description !== "string") {
    c.add(child(path, "description"), `must be a string, not ${describe(raw.description)}`);
  }
  rule.description = typeof raw.description === "string" ? raw.description : null;
  checkSelection(c, raw.selection, child(path, "selection"), rule.selection);
  checkAction(c, raw.action, child(path, "action"), rule.selection.countType, rule.action);
  return { path, rule };
}

/** The rules that must be unique or ordered among the rules selecting one storage class. */
function checkAcrossRules(c: Collector, checked: Checked[]): void {
  const byPriority = new Map<number, Checked>();
  for (const r of checked) {
    const priority = r.rule.rulePriority;
    if (priority === undefined) continue;
    const first = byPriority.get(priority);
    if (first) c.add(`${r.path}.rulePriority`, `must be unique: ${first.path} already has rulePriority ${priority}`);
    else byPriority.set(priority, r);
  }

  // The storage-class scoping follows AWS's own "Combining archive and expire rules" example,
  // which has an `any` rule for standard images and another, later one for archived images.
  for (const storageClass of STORAGE_CLASSES) {
    const inClass = checked.filter((r) => r.rule.selection.storageClass === storageClass && r.rule.rulePriority !== undefined);
    const scope = `the rules selecting ${storageClass} images`;
    const anyRules = inClass.filter((r) => r.rule.selection.tagStatus === "any");
    const highest = inClass
      .filter((r) => r.rule.selection.tagStatus !== "any")
      .reduce<Checked | undefined>((top, r) => (top && top.rule.rulePriority! >= r.rule.rulePriority! ? top : r), undefined);
    anyRules.forEach((r, i) => {
      if (i > 0) c.add(`${r.path}.selection.tagStatus`, `can be any in only one of ${scope}: ${anyRules[0].path} is already any`);
      else if (highest && highest.rule.rulePriority! > r.rule.rulePriority!) {
        c.add(`${r.path}.rulePriority`, `must be the highest of ${scope} because tagStatus is any (evaluated last), but ${highest.path} has rulePriority ${highest.rule.rulePriority}`);
      }
    });
    const untagged = inClass.filter((r) => r.rule.selection.tagStatus === "untagged");
    for (const r of untagged.slice(1)) c.add(`${r.path}.selection.tagStatus`, `can be untagged in only one of ${scope}: ${untagged[0].path} already selects untagged images`);
    const prefixSets = new Map<string, Checked>();
    for (const r of inClass) {
      const prefixes = r.rule.selection.tagPrefixList;
      if (!prefixes) continue;
      const key = JSON.stringify([...new Set(prefixes)].sort());
      const first = prefixSets.get(key);
      if (first) c.add(`${r.path}.selection.tagPrefixList`, `repeats the tag prefixes of ${first.path}: ${scope} must each have a unique set of prefixes`);
      else prefixSets.set(key, r);
    }
  }
}

/** Parses (when given text) and validates a lifecycle policy; every error, or the normalised policy. */
export function validateLifecyclePolicy(input: string | unknown): PolicyValidation {
  const c = new Collector();
  let document: unknown = input;
  if (typeof input === "string") {
    if (input.length < POLICY_TEXT_MIN_LENGTH) c.add("", `is ${input.length} characters long; ECR requires at least ${POLICY_TEXT_MIN_LENGTH}`);
    if (input.length > POLICY_TEXT_MAX_LENGTH) c.add("", `is ${input.length} characters long; ECR allows at most ${POLICY_TEXT_MAX_LENGTH}`);
    try {
      document = JSON.parse(input);
    } catch (error) {
      c.add("", `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, errors: c.errors };
    }
  }
  if (!isObject(document)) {
    c.add("", `must be a JSON object with a "rules" array, not ${describe(document)}`);
    return { ok: false, errors: c.errors };
  }
  c.onlyKnown(document, "", POLICY_KEYS, "a lifecycle policy");
  const rules = document.rules;
  if (rules === undefined) c.add("rules", "is required: a lifecycle policy holds at least one rule");
  else if (!Array.isArray(rules)) c.add("rules", `must be an array of rules, not ${describe(rules)}`);
  else if (rules.length === 0) c.add("rules", "must hold at least one rule");
  if (!Array.isArray(rules) || rules.length === 0) return { ok: false, errors: c.errors };

  const checked = rules.map((raw, index) => checkRule(c, raw, index));
  checkAcrossRules(c, checked);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  const policy: LifecyclePolicy = { rules: checked.map((r) => toRule(r.rule)) };
  return { ok: true, policy };
}

function toRule(rule: Draft): LifecycleRule {
  const s = rule.selection;
  return {
    rulePriority: rule.rulePriority!,
    description: rule.description ?? null,
    selection: {
      tagStatus: s.tagStatus!,
      tagPrefixList: s.tagPrefixList ?? null,
      tagPatternList: s.tagPatternList ?? null,
      countType: s.countType!,
      countUnit: s.countUnit ?? null,
      countNumber: s.countNumber!,
      storageClass: s.storageClass ?? "standard",
    },
    action: rule.action.type === "transition" ? { type: "transition", targetStorageClass: "archive" } : { type: "expire" },
  };
}
