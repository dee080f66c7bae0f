import { describe, expect, it } from "vitest";
import { type CheckContext, type ComplianceSettings, DEFAULT_COMPLIANCE_SETTINGS, type Filter, type RepositoryFacts, type RegistryFacts } from "../types";
import { tagImmutability } from "./tag-immutability";

const NOW = new Date("2026-11-01T00:00:00Z");

function context(settings: Partial<ComplianceSettings> = {}): CheckContext {
  return { now: NOW, settings: { ...DEFAULT_COMPLIANCE_SETTINGS, ...settings }, organizationAccountIds: new Set(), accountEnvironments: new Map() };
}

function repo(overrides: Partial<RepositoryFacts> = {}): RepositoryFacts {
  return {
    arn: "arn:aws:ecr:us-east-1:111122223333:repository/team/api",
    accountId: "111122223333",
    region: "us-east-1",
    name: "team/api",
    createdAt: NOW,
    imageTagMutability: "IMMUTABLE",
    tagMutabilityExclusions: null,
    scanOnPush: false,
    scanFrequency: "SCAN_ON_PUSH",
    appliedScanFilters: [],
    encryptionType: "KMS",
    kmsKey: null,
    key: null,
    lifecyclePolicy: null,
    repositoryPolicy: null,
    tags: [],
    readErrors: {},
    images: [],
    ...overrides,
  };
}

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
    const result = tagImmutability.evaluate(repo(overrides), registry, context(settings));
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(result.evidence.imageTagMutability).toBe(overrides.imageTagMutability);
  });

  it("caps the exclusion filters in the reason and evidence", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ filter: `f${i}`, filterType: "WILDCARD" }));
    const result = tagImmutability.evaluate(repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", tagMutabilityExclusions: many }), registry, context());
    expect(result.reason).toMatch(/and 2 more/);
    expect(result.evidence).toMatchObject({ exclusionCount: 12 });
    expect((result.evidence.tagMutabilityExclusions as Filter[]).length).toBe(10);
  });
});
