import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simulateLifecycle } from "./simulate";
import type { CountType, ImageFate, LifecycleImage, LifecyclePolicy, LifecycleRule, SimulationOptions } from "./types";

/**
 * Properties of the simulator over generated repositories and policies (any rule set, not only
 * ones ECR accepts), plus agreement with a deliberately naive reading of AWS's evaluation rules.
 */

const AT = new Date("2026-11-28T12:00:00Z");
const DAY = 86_400_000;
const OPTIONS: SimulationOptions = { at: AT, storageUsdPerGbMonth: 0.1, archiveUsdPerGbMonth: 0.01 };
const TAGS = ["prod-1", "prod-2", "beta-1", "release-1.2", "latest", "v1", "v2-rc1", "sha-abc"];
const PATTERNS = ["prod*", "beta*", "*-1", "latest", "v*", "*rc*", "*"];
const PREFIXES = ["prod", "beta", "v", "re", "sha"];
const LAYERS = Array.from({ length: 10 }, (_, i) => ({ digest: `sha256:layer${i}`, size: 1000 * (i + 1) }));
const RUNS = { numRuns: 200 };

const imageArb = (withLayers: boolean) =>
  fc
    .record({
      tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
      pushedDays: fc.integer({ min: 0, max: 400 }),
      pulledDays: fc.option(fc.integer({ min: 0, max: 400 })),
      // 0: archived, 1: restored from archive, else standard storage never archived.
      history: fc.integer({ min: 0, max: 5 }),
      transitionDays: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 6 }),
      layers: fc.uniqueArray(fc.integer({ min: 0, max: LAYERS.length - 1 }), { minLength: 1, maxLength: 4 }),
      extra: fc.integer({ min: 0, max: 500 }),
    })
    .map((g): Omit<LifecycleImage, "digest"> => {
      const layers = g.layers.map((i) => LAYERS[i]);
      const archived = g.history === 0;
      const transitionedAt = g.history <= 1 && g.transitionDays !== null ? new Date(AT.getTime() - Math.min(g.transitionDays, g.pushedDays) * DAY) : null;
      return {
        tags: g.tags,
        // Sizes cover their layers, as ECR's compressed size does.
        sizeBytes: layers.reduce((sum, l) => sum + l.size, 0) + g.extra,
        pushedAt: new Date(AT.getTime() - g.pushedDays * DAY - g.extra * 1000),
        lastPulledAt: g.pulledDays === null ? null : new Date(AT.getTime() - Math.min(g.pulledDays, g.pushedDays) * DAY),
        storageClass: archived ? "ARCHIVE" : "STANDARD",
        transitionedAt,
        layers: withLayers ? layers : null,
      };
    });

const imagesArb = fc
  .boolean()
  .chain((withLayers) => fc.array(imageArb(withLayers), { maxLength: 30, size: "medium" }))
  .map((images) => images.map((image, i) => ({ ...image, digest: `sha256:${String(i).padStart(4, "0")}` })));

const ruleArb = (rulePriority: number) =>
  fc
    .record({
      tagStatus: fc.constantFrom("tagged", "untagged", "any" as const),
      byPattern: fc.boolean(),
      patterns: fc.uniqueArray(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 2 }),
      prefixes: fc.uniqueArray(fc.constantFrom(...PREFIXES), { minLength: 1, maxLength: 2 }),
      countType: fc.constantFrom<CountType>("imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"),
      countNumber: fc.integer({ min: 1, max: 120 }),
      transition: fc.boolean(),
    })
    .map((g): LifecycleRule => {
      const tagged = g.tagStatus === "tagged";
      const archive = g.countType === "sinceImageTransitioned";
      return {
        rulePriority,
        description: null,
        selection: {
          tagStatus: g.tagStatus,
          tagPatternList: tagged && g.byPattern ? g.patterns : null,
          tagPrefixList: tagged && !g.byPattern ? g.prefixes : null,
          countType: g.countType,
          countUnit: g.countType === "imageCountMoreThan" ? null : "days",
          // Counts small enough for a few dozen images to exceed them.
          countNumber: g.countType === "imageCountMoreThan" ? 1 + (g.countNumber % 6) : g.countNumber,
          storageClass: archive ? "archive" : "standard",
        },
        action: g.transition && !archive ? { type: "transition", targetStorageClass: "archive" } : { type: "expire" },
      };
    });

const policyArb = fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i * 10 + 1))).map((rules): LifecyclePolicy => ({ rules })));

const fates = (images: readonly LifecycleImage[], policy: LifecyclePolicy) => new Map(simulateLifecycle(policy, images, OPTIONS).outcomes.map((o) => [o.image.digest, o.fate]));

/** AWS's evaluation rules read literally, with nothing shared with simulate.ts but the types. */
function naive(policy: LifecyclePolicy, images: readonly LifecycleImage[]): Map<string, { fate: ImageFate; rule: number | null }> {
  const wildcard = (tag: string, pattern: string): boolean =>
    pattern === "" ? tag === "" : pattern[0] === "*" ? [...Array(tag.length + 1).keys()].some((k) => wildcard(tag.slice(k), pattern.slice(1))) : tag[0] === pattern[0] && wildcard(tag.slice(1), pattern.slice(1));
  const decided = new Map<string, { fate: ImageFate; rule: number | null }>(images.map((i) => [i.digest, { fate: "keep", rule: null }]));
  const restoredOrPushed = (i: LifecycleImage) => Math.max(i.pushedAt.getTime(), i.storageClass !== "ARCHIVE" && i.transitionedAt ? i.transitionedAt.getTime() : 0);
  for (const rule of [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const s = rule.selection;
    const identified = images.filter((i) => {
      if ((i.storageClass === "ARCHIVE") !== (s.storageClass === "archive")) return false;
      if (s.tagStatus === "any") return true;
      if (s.tagStatus === "untagged") return i.tags.length === 0;
      if (i.tags.length === 0) return false;
      if (s.tagPatternList) return s.tagPatternList.every((p) => i.tags.some((t) => wildcard(t, p)));
      return (s.tagPrefixList ?? []).every((p) => i.tags.some((t) => t.startsWith(p)));
    });
    let marked: LifecycleImage[];
    if (s.countType === "imageCountMoreThan") {
      const key = (i: LifecycleImage) => (i.storageClass === "ARCHIVE" ? (i.transitionedAt ?? i.pushedAt).getTime() : restoredOrPushed(i));
      marked = [...identified].sort((a, b) => key(b) - key(a) || a.digest.localeCompare(b.digest)).slice(s.countNumber);
    } else {
      const since = (i: LifecycleImage) =>
        s.countType === "sinceImagePushed" ? restoredOrPushed(i) : s.countType === "sinceImagePulled" ? Math.max(i.lastPulledAt?.getTime() ?? 0, restoredOrPushed(i)) : (i.transitionedAt?.getTime() ?? Number.NaN);
      marked = identified.filter((i) => AT.getTime() - since(i) > s.countNumber * DAY);
    }
    for (const i of identified) {
      const d = decided.get(i.digest)!;
      if (d.rule !== null) continue;
      d.rule = rule.rulePriority;
      if (marked.includes(i)) d.fate = rule.action.type === "transition" ? "transition" : "expire";
    }
  }
  return decided;
}

describe("simulateLifecycle properties", () => {
  it("decides every image exactly once: kept + expired + transitioned = images, by at most one rule", () => {
    fc.assert(
      fc.property(imagesArb, policyArb, (images, policy) => {
        const { outcomes, rules, totals } = simulateLifecycle(policy, images, OPTIONS);
        expect(outcomes.map((o) => o.image)).toEqual(images);
        expect(totals.kept + totals.expired + totals.transitioned).toBe(images.length);
        expect(rules.reduce((n, r) => n + r.expired, 0)).toBe(totals.expired);
        expect(rules.reduce((n, r) => n + r.transitioned, 0)).toBe(totals.transitioned);
        expect(rules.reduce((n, r) => n + r.selected, 0)).toBe(outcomes.filter((o) => o.rulePriority !== null).length);
        for (const o of outcomes) {
          if (o.fate === "keep") continue;
          const rule = policy.rules.find((r) => r.rulePriority === o.rulePriority)!;
          expect(o.fate).toBe(rule.action.type);
        }
      }),
      RUNS,
    );
  });

  it("never expires or archives more images than its rules select", () => {
    fc.assert(
      fc.property(imagesArb, policyArb, (images, policy) => {
        const { rules, totals } = simulateLifecycle(policy, images, OPTIONS);
        for (const r of rules) expect(r.expired + r.transitioned).toBeLessThanOrEqual(r.selected);
        expect(totals.expired + totals.transitioned).toBeLessThanOrEqual(rules.reduce((n, r) => n + r.selected, 0));
      }),
      RUNS,
    );
  });

  it("adding a rule evaluated after the others changes none of their decisions and never frees less", () => {
    fc.assert(
      fc.property(imagesArb, policyArb, ruleArb(1000), (images, policy, extra) => {
        const before = simulateLifecycle(policy, images, OPTIONS);
        const after = simulateLifecycle({ rules: [...policy.rules, extra] }, images, OPTIONS);
        before.outcomes.forEach((o, i) => {
          if (o.rulePriority !== null) expect(after.outcomes[i]).toEqual(o);
        });
        expect(after.totals.expired).toBeGreaterThanOrEqual(before.totals.expired);
        expect(after.totals.freedBytes).toBeGreaterThanOrEqual(before.totals.freedBytes);
        if (extra.action.type === "expire") expect(after.totals.monthlyUsdSaved).toBeGreaterThanOrEqual(before.totals.monthlyUsdSaved - 1e-12);
      }),
      RUNS,
    );
  });

  it("never frees more than the sizes of the images leaving standard storage", () => {
    fc.assert(
      fc.property(imagesArb, policyArb, (images, policy) => {
        const { outcomes, totals } = simulateLifecycle(policy, images, OPTIONS);
        const leaving = outcomes.filter((o) => o.fate !== "keep" && o.image.storageClass !== "ARCHIVE").reduce((n, o) => n + o.image.sizeBytes, 0);
        expect(totals.freedBytes).toBeLessThanOrEqual(leaving);
        if (!totals.freedBytesExact) expect(totals.freedBytes).toBe(leaving);
      }),
      RUNS,
    );
  });

  it("does not depend on the order of the images", () => {
    fc.assert(
      fc.property(
        imagesArb.chain((images) => fc.tuple(fc.constant(images), fc.shuffledSubarray(images, { minLength: images.length, maxLength: images.length }))),
        policyArb,
        ([images, shuffled], policy) => {
          expect(fates(shuffled, policy)).toEqual(fates(images, policy));
        },
      ),
      RUNS,
    );
  });

  it("agrees with a literal reading of the evaluation rules, and of which layers stop being stored", () => {
    fc.assert(
      fc.property(imagesArb, policyArb, (images, policy) => {
        const expected = naive(policy, images);
        const { outcomes, totals } = simulateLifecycle(policy, images, OPTIONS);
        for (const o of outcomes) expect({ fate: o.fate, rule: o.rulePriority }).toEqual(expected.get(o.image.digest));
        if (!totals.freedBytesExact) return;
        const standard = images.filter((i) => i.storageClass !== "ARCHIVE");
        const layersOf = (keep: boolean) => new Map(standard.filter((i) => (expected.get(i.digest)!.fate === "keep") === keep).flatMap((i) => i.layers!.map((l) => [l.digest, l.size] as const)));
        const kept = layersOf(true);
        const freed = [...layersOf(false)].filter(([digest]) => !kept.has(digest)).reduce((n, [, size]) => n + size, 0);
        expect(totals.freedBytes).toBe(freed);
      }),
      RUNS,
    );
  });
});
