import type { CheckResult, Filter, RegistryFacts, RepositoryFacts } from "../types";
import { error, unreadable } from "./result";
import { matchesWildcard } from "./wildcard";

export type ScanFrequency = "SCAN_ON_PUSH" | "CONTINUOUS_SCAN" | "MANUAL";

export interface EffectiveScan {
  frequency: ScanFrequency;
  /**
   * repository-configuration: AWS's own answer (BatchGetRepositoryScanningConfiguration);
   * registry-rules: a rule of GetRegistryScanningConfiguration matched the name;
   * legacy-scan-on-push: a BASIC registry honouring the repository's own scanOnPush flag;
   * none: nothing scans it.
   */
  source: "repository-configuration" | "registry-rules" | "legacy-scan-on-push" | "none";
  /** The filters that matched (AWS's appliedScanFilters when it answered). */
  filters: Filter[];
}

const FREQUENCIES: readonly string[] = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL"];

function matchingFilters(name: string, frequency: ScanFrequency, registry: RegistryFacts): Filter[] | null {
  for (const rule of registry.scanRules ?? []) {
    if (rule.scanFrequency !== frequency) continue;
    const matched = rule.repositoryFilters.filter((f) => matchesWildcard(name, f.filter));
    if (matched.length > 0) return matched;
  }
  return null;
}

/**
 * How often ECR scans a repository's images (spec/CONTROLS.md, "Effective scan frequency").
 * AWS's per-repository answer wins; without it the registry's rules are matched as ECR does:
 * CONTINUOUS_SCAN rules first (they exist only in ENHANCED registries), then SCAN_ON_PUSH.
 * A rule whose frequency is MANUAL never makes a repository scanned (Prowler once counted one
 * as PASS). An error result when neither source was read.
 */
export function effectiveScanFrequency(repo: RepositoryFacts, registry: RegistryFacts): EffectiveScan | { error: CheckResult } {
  if (repo.scanFrequency !== null) {
    if (!FREQUENCIES.includes(repo.scanFrequency)) {
      return { error: error(`BatchGetRepositoryScanningConfiguration returned an unrecognised scanFrequency ${repo.scanFrequency}`, { scanFrequency: repo.scanFrequency }) };
    }
    return { frequency: repo.scanFrequency as ScanFrequency, source: "repository-configuration", filters: repo.appliedScanFilters ?? [] };
  }

  const registryUnknown = registry.scanType === null || registry.scanRules === null;
  if (registryUnknown) {
    const failure = unreadable(repo.readErrors, ["BatchGetRepositoryScanningConfiguration"]) ?? unreadable(registry.readErrors, ["GetRegistryScanningConfiguration"]);
    return {
      error: failure ?? error("The scanning configuration was not collected: neither the repository's (BatchGetRepositoryScanningConfiguration) nor the registry's (GetRegistryScanningConfiguration)"),
    };
  }

  const enhanced = registry.scanType === "ENHANCED";
  if (enhanced) {
    const continuous = matchingFilters(repo.name, "CONTINUOUS_SCAN", registry);
    if (continuous) return { frequency: "CONTINUOUS_SCAN", source: "registry-rules", filters: continuous };
  }
  const onPush = matchingFilters(repo.name, "SCAN_ON_PUSH", registry);
  if (onPush) return { frequency: "SCAN_ON_PUSH", source: "registry-rules", filters: onPush };
  // BASIC registries still honour the repository's legacy flag; ENHANCED ones ignore it.
  if (!enhanced && repo.scanOnPush) return { frequency: "SCAN_ON_PUSH", source: "legacy-scan-on-push", filters: [] };
  return { frequency: "MANUAL", source: "none", filters: [] };
}

/** "SCAN_ON_PUSH (registry rule filter prod*)": the frequency and where it came from, for reasons. */
export function describeScan(scan: EffectiveScan): string {
  const filters = scan.filters.map((f) => f.filter).join(", ");
  switch (scan.source) {
    case "repository-configuration":
      return `${scan.frequency} (repository scanning configuration${filters ? `, filter ${filters}` : ""})`;
    case "registry-rules":
      return `${scan.frequency} (registry rule filter ${filters})`;
    case "legacy-scan-on-push":
      return `${scan.frequency} (the repository's legacy scanOnPush flag in a BASIC registry)`;
    case "none":
      return `${scan.frequency} (no registry scanning rule matches the name, and no legacy scanOnPush applies)`;
  }
}
