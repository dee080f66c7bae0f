import type { ImageFacts, RepositoryCheck } from "../types";
import { monthlyUsd, storagePriceFor } from "@/lib/cost/pricing";
import { fail, gib, notApplicable, pass, unreadable, usdPerMonth } from "./result";
import { type LifecycleRule, type LifecycleSelection, INVALID_LIFECYCLE_REASON, parseLifecyclePolicy } from "./lifecycle-rules";
import { matchesTagPattern } from "./wildcard";

/**
 * COST-03: storage paid for images nobody uses: neither pushed nor pulled (lastRecordedPullTime)
 * within N days. Bytes are ECR's per-image sizes summed, an upper bound (layers can be shared).
 *
 * A lifecycle rule that expires them by `sinceImagePulled` makes the bytes temporary. ECR gives an
 * image to the highest-priority rule whose tag selection matches it ("an image that matches the
 * tagging requirements of a rule cannot be expired by a rule with a lower priority"), so an image
 * counts as covered only when that first rule is such an expire rule; the stale bytes it leaves
 * uncovered are what is compared with the threshold.
 */

const DAY_MS = 86_400_000;
const IN_EVIDENCE = 10;

/** The rules in the order ECR applies them (lowest rulePriority first). */
type PrioritisedRule = LifecycleRule & { rulePriority: number };

function orderedRules(text: string | null): { rules: PrioritisedRule[]; invalid: boolean } {
  if (text === null) return { rules: [], invalid: false };
  const parsed = parseLifecyclePolicy(text);
  if (!parsed.ok) return { rules: [], invalid: true };
  const rules = parsed.rules.filter((r): r is PrioritisedRule => r.rulePriority !== null).sort((a, b) => a.rulePriority - b.rulePriority);
  return { rules, invalid: false };
}

/** Whether the rule's tag selection takes the image (every listed pattern or prefix must match one of its tags). */
function selects(selection: LifecycleSelection, image: ImageFacts): boolean {
  switch (selection.tagStatus) {
    case "any":
      return true;
    case "untagged":
      return image.tags.length === 0;
    case "tagged": {
      if (image.tags.length === 0) return false;
      const patterns = selection.tagPatternList ?? [];
      const prefixes = selection.tagPrefixList ?? [];
      return patterns.every((p) => image.tags.some((t) => matchesTagPattern(t, p))) && prefixes.every((p) => image.tags.some((t) => t.startsWith(p)));
    }
    default:
      return false;
  }
}

function expiresUnpulled(rule: LifecycleRule, staleImageDays: number): boolean {
  const s = rule.selection;
  return rule.action.type === "expire" && s.countType === "sinceImagePulled" && (s.countUnit === null || s.countUnit === "days") && s.countNumber !== null && s.countNumber <= staleImageDays;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export const staleImages: RepositoryCheck = {
  id: "stale-images",
  scope: "repository",
  evaluate(repo, _registry, ctx) {
    const failure = unreadable(repo.readErrors, ["DescribeImages"]);
    if (failure) return failure;
    if (repo.images.length === 0) return notApplicable("The repository has no images");

    const { staleImageDays, maxStaleBytes } = ctx.settings;
    const storagePricePerGbMonth = storagePriceFor(repo.region, ctx.settings);
    const cutoff = ctx.now.getTime() - staleImageDays * DAY_MS;
    const stale: ImageFacts[] = [];
    let staleBytes = 0;
    for (const image of repo.images) {
      if (image.pushedAt.getTime() >= cutoff) continue;
      if (image.lastPulledAt && image.lastPulledAt.getTime() >= cutoff) continue;
      stale.push(image);
      staleBytes += image.sizeBytes;
    }
    const monthlyStaleUsd = monthlyUsd(staleBytes, storagePricePerGbMonth);
    const monthly = usdPerMonth(monthlyStaleUsd);
    const summary = `${stale.length} of ${repo.images.length} images (${gib(staleBytes)}, ${monthly}) neither pushed nor pulled in ${staleImageDays} days`;
    const evidence = { staleImageDays, maxStaleBytes, imageCount: repo.images.length, staleCount: stale.length, staleBytes, storagePricePerGbMonth, monthlyUsd: monthlyStaleUsd };
    if (staleBytes <= maxStaleBytes) return pass(`${summary}, within ${gib(maxStaleBytes)}`, evidence);

    const policyFailure = unreadable(repo.readErrors, ["GetLifecyclePolicy"], evidence);
    if (policyFailure) return policyFailure;
    const { rules, invalid } = orderedRules(repo.lifecyclePolicy);
    const uncovered: ImageFacts[] = [];
    let uncoveredBytes = 0;
    const coveringRules = new Set<number>();
    for (const image of stale) {
      const rule = rules.find((r) => selects(r.selection, image));
      if (rule && expiresUnpulled(rule, staleImageDays)) {
        coveringRules.add(rule.rulePriority);
      } else {
        uncovered.push(image);
        uncoveredBytes += image.sizeBytes;
      }
    }
    const sample = uncovered
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
      .slice(0, IN_EVIDENCE)
      .map((i) => ({ digest: i.digest, tags: i.tags.slice(0, 3), sizeBytes: i.sizeBytes, pushedAt: isoDay(i.pushedAt), lastPulledAt: i.lastPulledAt ? isoDay(i.lastPulledAt) : null }));
    const judged = { ...evidence, lifecyclePolicy: repo.lifecyclePolicy !== null, coveringRulePriorities: [...coveringRules], uncoveredCount: uncovered.length, uncoveredBytes, largestUncovered: sample };

    if (uncoveredBytes <= maxStaleBytes) {
      const rulesText = [...coveringRules].join(", ");
      return pass(`${summary}, above ${gib(maxStaleBytes)}, but lifecycle rule${coveringRules.size > 1 ? "s" : ""} ${rulesText} ${coveringRules.size > 1 ? "expire" : "expires"} them by sinceImagePulled${uncovered.length > 0 ? ` (${gib(uncoveredBytes)} left uncovered)` : ""}`, judged);
    }
    const coverage = repo.lifecyclePolicy === null ? "no lifecycle policy" : invalid ? `its ${INVALID_LIFECYCLE_REASON}` : uncovered.length === stale.length ? "no sinceImagePulled expire rule covers them" : `${uncovered.length} of them (${gib(uncoveredBytes)}) not covered by a sinceImagePulled expire rule`;
    return fail(`${summary}, above ${gib(maxStaleBytes)}, and ${coverage}`, judged);
  },
};
