import { lifecycleCostRules } from "@/lib/compliance/checks/lifecycle-cost-rules";
import type { CheckContext, ComplianceSettings, ImageFacts, RegistryFacts, RepositoryFacts } from "@/lib/compliance/types";
import { latestScannableImage } from "@/lib/latest-image";
import { toLifecycleImage } from "./lifecycle/image-facts";
import { simulateLifecycle } from "./lifecycle/simulate";
import type { LifecycleImage, SimulationOptions, SimulationResult } from "./lifecycle/types";
import { validateLifecyclePolicy } from "./lifecycle/validate-policy";
import { monthlyUsd, storagePriceFor } from "./pricing";
import { recommendedLifecyclePolicy } from "./recommended-policy";
import { storedBytes } from "./stored-bytes";

/**
 * What to do to spend less on ECR storage, and what each action saves a month, for one registry
 * of a snapshot. Pure: lib/db/savings.ts runs it over every registry once per collection run.
 *
 * The baseline is the repository as its current lifecycle policy will leave it (ECR applies a
 * policy within a day, so what it expires is not a saving to claim again). Per repository:
 * (a) `lifecycle-policy`: where COST-01 fails, adopting the recommended policy frees what it
 *     would expire beyond what the current policy frees (both simulated now);
 * (b) `stale-images`: images neither pushed nor pulled in staleImageDays that the current policy keeps;
 * (c) `untagged-images`: untagged images older than lifecycleUntaggedDays that the current policy keeps;
 * (e) `oversized-image`: a latest image above maxImageBytes; not a storage saving, not priced.
 * (a), (b) and (c) overlap (the recommended policy expires old untagged images too), so only the
 * largest of them counts towards the total; the others are listed with `counted` false. Per
 * registry, (d) `replication-filter`: replication rules with no repository filter store every
 * repository again at each destination, at the destination's price (an upper bound: some
 * repositories may need their copies).
 * Freed bytes count each layer once (a layer still used by a kept image frees nothing).
 */

export const SAVING_KINDS = ["lifecycle-policy", "stale-images", "untagged-images", "replication-filter", "oversized-image"] as const;
export type SavingKind = (typeof SAVING_KINDS)[number];

export const SAVING_LABELS: Record<SavingKind, string> = {
  "lifecycle-policy": "Adopt the COST-01 lifecycle policy",
  "stale-images": "Expire stale images",
  "untagged-images": "Expire untagged images",
  "replication-filter": "Filter replication",
  "oversized-image": "Slim the latest image",
};

/** The lifecycle actions of one repository that overlap: the total counts only the largest. */
const LIFECYCLE_KINDS: readonly SavingKind[] = ["lifecycle-policy", "stale-images", "untagged-images"];

export interface Saving {
  kind: SavingKind;
  /** A repository's ARN, or registry/<account>/<region>. */
  resource: string;
  accountId: string;
  region: string;
  images: number;
  /** Bytes freed (replication: stored at all destinations together; oversized: the image's size). */
  bytes: number;
  /** False when some image's layers were unknown, so `bytes` is an upper bound. */
  bytesExact: boolean;
  /** USD a month; null when not quantified. */
  monthlyUsd: number | null;
  /** Whether monthlyUsd is part of the total. */
  counted: boolean;
  /** How the figure was computed, in one sentence. */
  method: string;
  details: Record<string, unknown>;
}

/** The checks' settings: the savings use the same numbers as COST-01, COST-02, COST-03 and COST-05. */
export type SavingsSettings = ComplianceSettings;

const DAY_MS = 86_400_000;
const GIB = 1024 ** 3;

const gib = (bytes: number) => `${(bytes / GIB).toFixed(2)} GiB`;
const usd = (amount: number) => `$${amount.toFixed(2)}`;
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** What the current policy does to the images: simulated when it validates, else nothing (and why). */
function currentPolicyOutcome(text: string | null, images: readonly LifecycleImage[], options: SimulationOptions): { result: SimulationResult | null; problem: string | null } {
  if (text === null) return { result: null, problem: null };
  const validation = validateLifecyclePolicy(text);
  if (!validation.ok) {
    const first = validation.errors[0];
    return { result: null, problem: `${first.path ? `${first.path} ` : ""}${first.message}` };
  }
  return { result: simulateLifecycle(validation.policy, images, options), problem: null };
}

/** Stored bytes of the baseline minus those of the baseline without `removed`: what expiring them frees. */
function freedBy(images: readonly ImageFacts[], baseline: readonly boolean[], removed: readonly boolean[]): number {
  const before = storedBytes(images.filter((_, i) => baseline[i]));
  const after = storedBytes(images.filter((_, i) => baseline[i] && !removed[i]));
  return before.bytes - after.bytes;
}

function lifecycleSavings(repository: RepositoryFacts, registry: RegistryFacts, now: Date, settings: SavingsSettings): Saving[] {
  const { images } = repository;
  if (images.length === 0 || repository.readErrors.DescribeImages || repository.readErrors.GetLifecyclePolicy) return [];
  const price = storagePriceFor(repository.region, settings);
  const options: SimulationOptions = { at: now, storageUsdPerGbMonth: price, archiveUsdPerGbMonth: settings.archivePricePerGbMonth };
  const lifecycleImages = images.map(toLifecycleImage);
  const exact = storedBytes(images).exact;
  const current = currentPolicyOutcome(repository.lifecyclePolicy, lifecycleImages, options);
  // Standard storage as the current policy leaves it: an image it expires or archives is already on its way out.
  const baseline = current.result ? current.result.outcomes.map((o) => o.fate === "keep") : images.map(() => true);
  const currentText =
    repository.lifecyclePolicy === null
      ? "there is no lifecycle policy"
      : current.result
        ? `the current policy already frees ${gib(current.result.totals.freedBytes)}`
        : `the current policy could not be simulated (${current.problem}), so it is taken to free nothing`;
  const base = { resource: repository.arn, accountId: repository.accountId, region: repository.region, bytesExact: exact, counted: false };
  const out: Saving[] = [];

  // (a) The COST-01 policy, where COST-01 fails (the check itself decides, so the two never disagree).
  const ctx: CheckContext = { now, settings, organizationAccountIds: new Set(), accountEnvironments: new Map() };
  if (lifecycleCostRules.evaluate(repository, registry, ctx).status === "FAIL") {
    const policy = recommendedLifecyclePolicy(settings);
    const recommended = simulateLifecycle(policy, lifecycleImages, options);
    const bytes = recommended.totals.freedBytes - (current.result?.totals.freedBytes ?? 0);
    const monthly = recommended.totals.monthlyUsdSaved - (current.result?.totals.monthlyUsdSaved ?? 0);
    const count = recommended.outcomes.filter((o, i) => o.fate !== "keep" && baseline[i]).length;
    if (bytes > 0 && monthly > 0) {
      out.push({
        ...base,
        kind: "lifecycle-policy",
        images: count,
        bytes,
        monthlyUsd: monthly,
        method: `The COST-01 policy (expire untagged images ${plural(settings.lifecycleUntaggedDays, "day")} after push, keep the newest ${plural(settings.lifecycleMaxTaggedImages, "image")}), simulated on ${isoDay(now)} over ${plural(images.length, "image")}, frees ${gib(recommended.totals.freedBytes)}; ${currentText}; ${gib(bytes)} x ${usd(price)} per GB-month`,
        details: { policyRules: policy.rules.map((r) => r.description), recommendedFreedBytes: recommended.totals.freedBytes, currentFreedBytes: current.result?.totals.freedBytes ?? null, currentPolicyProblem: current.problem, storagePricePerGbMonth: price },
      });
    }
  }

  // (b) Stale images the current policy keeps (COST-03's definition of stale).
  const cutoff = now.getTime() - settings.staleImageDays * DAY_MS;
  const stale = images.map((image, i) => baseline[i] && image.pushedAt.getTime() < cutoff && (image.lastPulledAt === null || image.lastPulledAt.getTime() < cutoff));
  const staleCount = stale.filter(Boolean).length;
  if (staleCount > 0) {
    const bytes = freedBy(images, baseline, stale);
    if (bytes > 0) {
      out.push({
        ...base,
        kind: "stale-images",
        images: staleCount,
        bytes,
        monthlyUsd: monthlyUsd(bytes, price),
        method: `${plural(staleCount, "image")} neither pushed nor pulled in ${settings.staleImageDays} days that ${repository.lifecyclePolicy === null ? "nothing expires" : "the current policy keeps"} (a sinceImagePulled ${settings.staleImageDays}-day expire rule would): ${gib(bytes)} freed x ${usd(price)} per GB-month`,
        details: { staleImageDays: settings.staleImageDays, storagePricePerGbMonth: price, currentPolicyProblem: current.problem },
      });
    }
  }

  // (c) Untagged images past COST-01's age that the current policy keeps.
  const untaggedCutoff = now.getTime() - settings.lifecycleUntaggedDays * DAY_MS;
  const untagged = images.map((image, i) => baseline[i] && image.tags.length === 0 && image.pushedAt.getTime() < untaggedCutoff);
  const untaggedCount = untagged.filter(Boolean).length;
  if (untaggedCount > 0) {
    const bytes = freedBy(images, baseline, untagged);
    if (bytes > 0) {
      out.push({
        ...base,
        kind: "untagged-images",
        images: untaggedCount,
        bytes,
        monthlyUsd: monthlyUsd(bytes, price),
        method: `${plural(untaggedCount, "untagged image")} pushed more than ${plural(settings.lifecycleUntaggedDays, "day")} ago that ${repository.lifecyclePolicy === null ? "nothing expires" : "the current policy keeps"}: ${gib(bytes)} freed x ${usd(price)} per GB-month (an image a multi-arch index still lists also shows as untagged: check before expiring)`,
        details: { lifecycleUntaggedDays: settings.lifecycleUntaggedDays, storagePricePerGbMonth: price, currentPolicyProblem: current.problem },
      });
    }
  }
  return out;
}

function oversizedImage(repository: RepositoryFacts, settings: SavingsSettings): Saving | null {
  if (repository.readErrors.DescribeImages) return null;
  const latest = latestScannableImage(repository.images);
  if (!latest || latest.sizeBytes <= settings.maxImageBytes) return null;
  const name = latest.tags[0] ?? latest.digest.slice(0, 19);
  return {
    kind: "oversized-image",
    resource: repository.arn,
    accountId: repository.accountId,
    region: repository.region,
    images: 1,
    bytes: latest.sizeBytes,
    bytesExact: true,
    monthlyUsd: null,
    counted: false,
    method: `The latest image ${name} is ${gib(latest.sizeBytes)}, ${gib(latest.sizeBytes - settings.maxImageBytes)} above the ${gib(settings.maxImageBytes)} limit (COST-02). A smaller image saves data transfer and start-up time on every pull, which Cost Explorer does not attribute to a repository: not quantified (its storage is in the lifecycle rows)`,
    details: { digest: latest.digest, sizeBytes: latest.sizeBytes, maxImageBytes: settings.maxImageBytes, excessBytes: latest.sizeBytes - settings.maxImageBytes },
  };
}

/** (d): rules without a PREFIX_MATCH filter copy every repository (COST-05's definition). */
function replicationSaving(registry: RegistryFacts, repositories: readonly RepositoryFacts[], settings: SavingsSettings): Saving | null {
  const rules = registry.replicationRules;
  if (!rules || registry.readErrors.DescribeRegistry) return null;
  const unfiltered = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => !rule.repositoryFilters.some((f) => f.filterType === "PREFIX_MATCH"));
  if (unfiltered.length === 0) return null;
  const destinations = [...new Map(unfiltered.flatMap(({ rule }) => rule.destinations).map((d) => [`${d.region}/${d.registryId}`, d])).values()];
  let bytes = 0;
  let images = 0;
  let exact = true;
  for (const repository of repositories) {
    const stored = storedBytes(repository.images);
    bytes += stored.bytes;
    images += repository.images.length;
    exact &&= stored.exact && !repository.readErrors.DescribeImages;
  }
  if (bytes === 0) return null;
  const copies = destinations.map((d) => ({ region: d.region, registryId: d.registryId, storagePricePerGbMonth: storagePriceFor(d.region, settings), monthlyUsd: monthlyUsd(bytes, storagePriceFor(d.region, settings)) }));
  const total = copies.reduce((sum, c) => sum + c.monthlyUsd, 0);
  const numbers = unfiltered.map(({ index }) => index + 1).join(", ");
  return {
    kind: "replication-filter",
    resource: `registry/${registry.accountId}/${registry.region}`,
    accountId: registry.accountId,
    region: registry.region,
    images,
    bytes: bytes * destinations.length,
    bytesExact: exact,
    monthlyUsd: total,
    counted: true,
    method: `Replication rule${unfiltered.length > 1 ? "s" : ""} ${numbers} of ${registry.region} ${unfiltered.length > 1 ? "have" : "has"} no repository filter: ${repositories.length === 1 ? "its repository" : `all ${repositories.length} repositories`} (${gib(bytes)} stored) are copied to ${copies.map((c) => `${c.region} (${c.registryId}) at ${usd(c.storagePricePerGbMonth)} per GB-month`).join(", ")}. A PREFIX_MATCH filter saves the copies of repositories that need none: up to ${usd(total)} a month`,
    details: { unfilteredRules: unfiltered.map(({ index }) => index + 1), destinations: copies, storedBytes: bytes },
  };
}

/** Marks, per repository, only the largest overlapping lifecycle saving as counted (ties: SAVING_KINDS order). */
function countLargestLifecycle(savings: Saving[]): Saving[] {
  const lifecycle = savings.filter((s) => LIFECYCLE_KINDS.includes(s.kind) && s.monthlyUsd !== null && s.monthlyUsd > 0);
  if (lifecycle.length === 0) return savings;
  const largest = lifecycle.reduce((best, s) => (s.monthlyUsd! > best.monthlyUsd! ? s : best));
  return savings.map((s) => {
    if (!LIFECYCLE_KINDS.includes(s.kind)) return s;
    if (s === largest) return { ...s, counted: true };
    return { ...s, counted: false, details: { ...s.details, notCountedBecause: `overlaps the larger "${SAVING_LABELS[largest.kind]}" saving of the same repository` } };
  });
}

/** Every saving of one repository, its overlapping lifecycle actions resolved. */
export function repositorySavings(repository: RepositoryFacts, registry: RegistryFacts, now: Date, settings: SavingsSettings): Saving[] {
  const savings = lifecycleSavings(repository, registry, now, settings);
  const oversized = oversizedImage(repository, settings);
  if (oversized) savings.push(oversized);
  return countLargestLifecycle(savings);
}

/** Every saving of one registry: its repositories', and its replication's. */
export function registrySavings(registry: RegistryFacts, repositories: readonly RepositoryFacts[], now: Date, settings: SavingsSettings): Saving[] {
  const out = repositories.flatMap((repository) => repositorySavings(repository, registry, now, settings));
  const replication = replicationSaving(registry, repositories, settings);
  if (replication) out.push(replication);
  return out;
}

/** Largest saving first; unquantified ones last; then by kind and resource, so the order is stable. */
export function rankSavings(savings: readonly Saving[]): Saving[] {
  return [...savings].sort(
    (a, b) => (b.monthlyUsd ?? -Infinity) - (a.monthlyUsd ?? -Infinity) || SAVING_KINDS.indexOf(a.kind) - SAVING_KINDS.indexOf(b.kind) || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
  );
}

/** USD a month over the counted savings: what doing all of them would save, each repository's overlaps counted once. */
export function totalMonthlyUsd(savings: readonly Saving[]): number {
  return savings.reduce((sum, s) => sum + (s.counted && s.monthlyUsd !== null ? s.monthlyUsd : 0), 0);
}
