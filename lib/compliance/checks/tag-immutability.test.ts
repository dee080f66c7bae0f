import { describe, expect, it } from "vitest";
import type { ComplianceSettings, Filter, RegistryFacts, RepositoryFacts } from "../types";
import { tagImmutability } from "./tag-immutability";
import { checkContext, repositoryFacts as repo } from "./testing";

const registry = {} as RegistryFacts; // tag-immutability reads nothing of the registry
const latest: Filter[] = [{ filter: "latest", filterType: "WILDCARD" }];

describe("tag-immutability", () => {
  it.each<[string, Partial<RepositoryFacts>, Partial<ComplianceSettings>, string, RegExp]>([
    ["IMMUTABLE", { imageTagMutability: "IMMUTABLE" }, {}, "PASS", /imageTagMutability is IMMUTABLE/],
    ["MUTABLE", { imageTagMutability: "MUTABLE" }, {}, "FAIL", /imageTagMutability is MUTABLE: every tag/],
    ["MUTABLE_WITH_EXCLUSION", { imageTagMutability: "MUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: [{ filter: "release-*", filterType: "WILDCARD" }] }, {}, "FAIL", /MUTABLE_WITH_EXCLUSION: only tags matching release-\* \(WILDCARD\)/],
    ["IMMUTABLE_WITH_EXCLUSION (default settings)", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: latest }, {}, "PASS", /IMMUTABLE_WITH_EXCLUSION: tags are immutable except those matching latest \(WILDCARD\)/],
    [
      "IMMUTABLE_WITH_EXCLUSION with exclusionsFailImmutability",
      { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: latest },
      { exclusionsFailImmutability: true },
      "FAIL",
      /IMMUTABLE_WITH_EXCLUSION: tags matching latest \(WILDCARD\) can be overwritten/,
    ],
    ["IMMUTABLE_WITH_EXCLUSION, filters not recorded", { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: null }, {}, "PASS", /exclusion filters not recorded/],
    ["an undocumented value", { imageTagMutability: "SOMETIMES" }, {}, "MANUAL", /"SOMETIMES"/],
  ])("%s -> %s", (_, overrides, settings, status, reason) => {
    const result = tagImmutability.evaluate(repo(overrides), registry, checkContext({ settings }));
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.evidence.imageTagMutability).toBe(overrides.imageTagMutability);
  });

  it("caps the exclusion filters in the reason and evidence", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ filter: `f${i}`, filterType: "WILDCARD" }));
    const result = tagImmutability.evaluate(repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: many }), registry, checkContext());
    expect(result.reason).toMatch(/and 2 more/);
    expect(result.evidence).toMatchObject({ exclusionCount: 12 });
    expect((result.evidence.tagMutabilityExclusions as Filter[]).length).toBe(10);
  });
});
