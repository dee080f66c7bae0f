import { toLifecycleImage } from "@/lib/cost/lifecycle/image-facts";
import { simulateLifecycle } from "@/lib/cost/lifecycle/simulate";
import type { LifecycleRule as EngineRule } from "@/lib/cost/lifecycle/types";
import { storagePriceFor } from "@/lib/cost/pricing";
import type { CheckContext, RepositoryCheck, RepositoryFacts } from "../types";
import { describeRule, INVALID_LIFECYCLE_REASON, type LifecycleRule, parseLifecyclePolicy } from "./lifecycle-rules";
import { fail, gib, manual, pass, unreadable, usdPerMonth } from "./result";

/**
 * COST-01: the lifecycle policy (A) expires untagged images within lifecycleUntaggedDays of push
 * and (B) caps every tagged image at lifecycleMaxTaggedImages (spec/CONTROLS.md, lifecycle-cost-rules).
 *
 * ECR evaluates rules from the lowest rulePriority up, and an image that matches the tag
 * selection of a rule can never be expired by a later rule. So a cap's real bound on tagged
 * images is its own count plus what earlier tag-selecting rules keep: an earlier
 * `tagged release-*` rule keeping 100 images shelters those from a later `*` cap of 10.
 */

interface Finding {
  ok: boolean;
  /** The clause of the reason: what was found, or what is missing. */
  text: string;
  rule: LifecycleRule | null;
}

function order(rule: LifecycleRule): number {
  return rule.rulePriority ?? Number.POSITIVE_INFINITY;
}

function isExpire(rule: LifecycleRule): boolean {
  return rule.action.type === "expire";
}

function untaggedFinding(rules: LifecycleRule[], maxDays: number): Finding {
  const candidates = rules.filter(
    (r) => isExpire(r) && r.selection.tagStatus === "untagged" && r.selection.countType === "sinceImagePushed" && r.selection.countUnit === "days" && r.selection.countNumber !== null,
  );
  const good = candidates.find((r) => (r.selection.countNumber as number) <= maxDays);
  if (good) return { ok: true, text: `${describeRule(good)} expires untagged images ${good.selection.countNumber} day(s) after push`, rule: good };
  if (candidates.length) {
    const tightest = candidates.reduce((a, b) => ((a.selection.countNumber as number) <= (b.selection.countNumber as number) ? a : b));
    return { ok: false, text: `${describeRule(tightest)} expires untagged images only ${tightest.selection.countNumber} days after push, more than the ${maxDays} allowed`, rule: tightest };
  }
  return { ok: false, text: `no rule expires untagged images within ${maxDays} day(s) of push (an untagged, sinceImagePushed, days, expire rule)`, rule: null };
}

function wildcardOnly(list: string[] | null): boolean {
  return list !== null && list.length > 0 && list.every((p) => p === "*");
}

/** Whether a rule's tag selection takes in every tagged image. */
function coversAllTags(rule: LifecycleRule, highest: number): { covers: boolean; why: string } {
  const s = rule.selection;
  const prefixed = s.tagPrefixList !== null && s.tagPrefixList.length > 0;
  if (s.tagStatus === "tagged") {
    if (prefixed) return { covers: false, why: `selects only tags starting with ${s.tagPrefixList?.join(", ")}` };
    if (!wildcardOnly(s.tagPatternList)) return { covers: false, why: `selects only tags matching ${s.tagPatternList?.length ? s.tagPatternList.join(", ") : "no pattern"}` };
    return { covers: true, why: "" };
  }
  if (s.tagStatus === "any") {
    // ECR requires an `any` rule to be evaluated last; one that is not would not be accepted.
    if (rule.rulePriority === null || rule.rulePriority < highest) return { covers: false, why: "has tagStatus any but is not the last rule (highest rulePriority)" };
    if (prefixed || (s.tagPatternList !== null && s.tagPatternList.length > 0 && !wildcardOnly(s.tagPatternList))) return { covers: false, why: "narrows tagStatus any with a tag list" };
    return { covers: true, why: "" };
  }
  return { covers: false, why: `selects ${s.tagStatus ?? "no"} images only` };
}

function selectsTagged(rule: LifecycleRule): boolean {
  return rule.selection.tagStatus === "tagged" || rule.selection.tagStatus === "any";
}

function taggedFinding(rules: LifecycleRule[], maxImages: number): Finding {
  const highest = rules.reduce((h, r) => (r.rulePriority !== null && r.rulePriority > h ? r.rulePriority : h), Number.NEGATIVE_INFINITY);
  const caps = rules.filter((r) => isExpire(r) && r.selection.countType === "imageCountMoreThan" && r.selection.countNumber !== null).sort((a, b) => order(a) - order(b) || a.index - b.index);
  let looser: Finding | null = null;
  let partial: Finding | null = null;
  for (const rule of caps) {
    const coverage = coversAllTags(rule, highest);
    if (!coverage.covers) {
      partial ??= { ok: false, text: `${describeRule(rule)} ${coverage.why}, so it does not cap every tagged image at ${maxImages}`, rule };
      continue;
    }
    const earlier = rules.filter((r) => r !== rule && selectsTagged(r) && (order(r) < order(rule) || (order(r) === order(rule) && r.index < rule.index)));
    const unbounded = earlier.find((r) => !(isExpire(r) && r.selection.countType === "imageCountMoreThan" && r.selection.countNumber !== null));
    if (unbounded) {
      looser ??= { ok: false, text: `${describeRule(rule)} cannot expire the images ${describeRule(unbounded)} selects first, which it keeps without a count`, rule };
      continue;
    }
    const bound = (rule.selection.countNumber as number) + earlier.reduce((sum, r) => sum + (r.selection.countNumber as number), 0);
    if (bound <= maxImages) {
      const kept = earlier.length ? `at most ${bound} tagged images with the ${earlier.length} rule(s) before it` : `at most ${bound} tagged images`;
      return { ok: true, text: `${describeRule(rule)} keeps ${kept}`, rule };
    }
    looser ??= {
      ok: false,
      text: earlier.length
        ? `${describeRule(rule)} with the ${earlier.length} rule(s) before it keeps up to ${bound} tagged images, more than the ${maxImages} allowed`
        : `${describeRule(rule)} keeps ${bound} tagged images, more than the ${maxImages} allowed`,
      rule,
    };
  }
  return looser ?? partial ?? { ok: false, text: `no expire rule caps every tagged image at ${maxImages} (tagStatus tagged with tagPatternList ["*"], or tagStatus any as the last rule)`, rule: null };
}

type ReclaimableKind = "untagged" | "tagged";

/** The rule COST-01 misses, at the settings' numbers, alone: what it would expire is what it is worth. */
function missingRule(kind: ReclaimableKind, ctx: CheckContext): EngineRule {
  const { lifecycleUntaggedDays: days, lifecycleMaxTaggedImages: keep } = ctx.settings;
  return kind === "untagged"
    ? { rulePriority: 1, description: null, selection: { tagStatus: "untagged", tagPrefixList: null, tagPatternList: null, countType: "sinceImagePushed", countUnit: "days", countNumber: days, storageClass: "standard" }, action: { type: "expire" } }
    : { rulePriority: 1, description: null, selection: { tagStatus: "tagged", tagPrefixList: null, tagPatternList: ["*"], countType: "imageCountMoreThan", countUnit: null, countNumber: keep, storageClass: "standard" }, action: { type: "expire" } };
}

/** What the missing rule would free today, simulated by the lifecycle engine (the savings list and the what-if use it too). */
function reclaimClause(repository: RepositoryFacts, kind: ReclaimableKind, ctx: CheckContext) {
  const { totals } = simulateLifecycle({ rules: [missingRule(kind, ctx)] }, repository.images.map(toLifecycleImage), {
    at: ctx.now,
    storageUsdPerGbMonth: storagePriceFor(repository.region, ctx.settings),
    archiveUsdPerGbMonth: ctx.settings.archivePricePerGbMonth,
  });
  const estimate = { bytes: totals.freedBytes, images: totals.expired, exact: totals.freedBytesExact, monthlyUsd: totals.monthlyUsdSaved };
  const text = estimate.images
    ? `such a rule would expire ${estimate.images} ${kind} image${estimate.images === 1 ? "" : "s"} today, freeing ${estimate.exact ? "" : "up to "}${gib(estimate.bytes)} (${usdPerMonth(estimate.monthlyUsd)})`
    : `such a rule would expire nothing today`;
  return { estimate, text };
}

export const lifecycleCostRules: RepositoryCheck = {
  id: "lifecycle-cost-rules",
  scope: "repository",
  evaluate(repository, _registry, ctx) {
    const denied = unreadable(repository.readErrors, ["GetLifecyclePolicy"]);
    if (denied) return denied;
    const { lifecycleUntaggedDays: maxDays, lifecycleMaxTaggedImages: maxImages } = ctx.settings;
    const settings = { lifecycleUntaggedDays: maxDays, lifecycleMaxTaggedImages: maxImages };
    const text = repository.lifecyclePolicy;
    let untagged: Finding;
    let tagged: Finding;
    if (text === null) {
      untagged = { ok: false, text: `there is no lifecycle policy, so no rule expires untagged images within ${maxDays} day(s)`, rule: null };
      tagged = { ok: false, text: `no rule caps tagged images at ${maxImages}`, rule: null };
    } else {
      const parsed = parseLifecyclePolicy(text);
      if (!parsed.ok) return manual(`the ${INVALID_LIFECYCLE_REASON} (${parsed.error}), so its rules cannot be judged`, { lifecyclePolicy: text.slice(0, 500), parseError: parsed.error, settings });
      untagged = untaggedFinding(parsed.rules, maxDays);
      tagged = taggedFinding(parsed.rules, maxImages);
    }
    const evidence: Record<string, unknown> = {
      settings,
      untaggedRule: untagged.rule ? describeRule(untagged.rule) : null,
      taggedRule: tagged.rule ? describeRule(tagged.rule) : null,
    };
    if (untagged.ok && tagged.ok) return pass(`${untagged.text}, and ${tagged.text}`, evidence);

    const clauses: string[] = [];
    const reclaimable: Record<string, { bytes: number; images: number; exact: boolean; monthlyUsd: number }> = {};
    for (const [kind, finding] of [["untagged", untagged], ["tagged", tagged]] as const) {
      if (finding.ok) continue;
      const reclaim = reclaimClause(repository, kind, ctx);
      reclaimable[kind] = reclaim.estimate;
      clauses.push(`${finding.text}: ${reclaim.text}`);
    }
    // Without every manifest's layers, freed bytes are compressed image sizes summed, and a layer
    // shared with a kept image is not really freed.
    const bound = Object.values(reclaimable).some((r) => r.bytes > 0 && !r.exact) ? " (some images' layers are unknown, so the bytes are an upper bound)" : "";
    return fail(`${clauses.join("; and ")}${bound}`, { ...evidence, reclaimable });
  },
};
