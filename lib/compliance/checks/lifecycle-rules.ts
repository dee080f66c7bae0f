import { boundedCache } from "./bounded-cache";

/**
 * ECR lifecycle policies as the checks read them: parsed once per distinct text, tolerant (ECR
 * validated the policy when it was put; validating it again is the lifecycle engine's job, not a
 * check's). Missing or oddly typed fields are read as null rather than rejected.
 */

export interface LifecycleSelection {
  /** any, tagged, untagged (lower-cased as ECR compares them). */
  tagStatus: string | null;
  tagPrefixList: string[] | null;
  tagPatternList: string[] | null;
  /** imageCountMoreThan, sinceImagePushed, sinceImagePulled, sinceImageTransitioned. */
  countType: string | null;
  /** days (for the since* count types). */
  countUnit: string | null;
  countNumber: number | null;
  storageClass: string | null;
}

export interface LifecycleRule {
  /** Position in the rules list, from 0. */
  index: number;
  rulePriority: number | null;
  description: string | null;
  selection: LifecycleSelection;
  action: { type: string | null; targetStorageClass: string | null };
}

export type ParsedLifecyclePolicy = { ok: true; rules: LifecycleRule[] } | { ok: false; error: string };

/** The reason a check gives when the lifecycle policy text cannot be judged. */
export const INVALID_LIFECYCLE_REASON = "lifecycle policy is not valid JSON";

// Few distinct lifecycle texts exist across an organisation (teams copy one policy): parse each once.
const parseCached = boundedCache(parseUncached, 2_000);

export function parseLifecyclePolicy(text: string): ParsedLifecyclePolicy {
  return parseCached(text);
}

function parseUncached(text: string): ParsedLifecyclePolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (!isObject(document)) return { ok: false, error: "the lifecycle policy is not a JSON object" };
  const raw = Array.isArray(document.rules) ? document.rules : [];
  const rules: LifecycleRule[] = [];
  raw.forEach((r, index) => {
    if (!isObject(r)) return;
    const selection = isObject(r.selection) ? r.selection : {};
    const action = isObject(r.action) ? r.action : {};
    rules.push({
      index,
      rulePriority: num(r.rulePriority),
      description: str(r.description),
      selection: {
        tagStatus: str(selection.tagStatus)?.toLowerCase() ?? null,
        tagPrefixList: list(selection.tagPrefixList),
        tagPatternList: list(selection.tagPatternList),
        countType: str(selection.countType),
        countUnit: str(selection.countUnit)?.toLowerCase() ?? null,
        countNumber: num(selection.countNumber),
        storageClass: str(selection.storageClass),
      },
      action: { type: str(action.type)?.toLowerCase() ?? null, targetStorageClass: str(action.targetStorageClass) },
    });
  });
  return { ok: true, rules };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function num(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function list(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((v): v is string => typeof v === "string");
}

/** "rule 2 (tagged release-*, imageCountMoreThan 100, expire)" */
export function describeRule(rule: LifecycleRule): string {
  const s = rule.selection;
  const tags = s.tagPatternList?.length ? ` ${s.tagPatternList.join(",")}` : s.tagPrefixList?.length ? ` prefix ${s.tagPrefixList.join(",")}` : "";
  const count = s.countType === "imageCountMoreThan" ? `imageCountMoreThan ${s.countNumber}` : `${s.countType} ${s.countNumber} ${s.countUnit ?? ""}`.trim();
  return `rule ${rule.rulePriority ?? `#${rule.index + 1}`} (${s.tagStatus ?? "no tagStatus"}${tags}, ${count}, ${rule.action.type ?? "no action"})`;
}
