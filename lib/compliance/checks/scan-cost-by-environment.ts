import type { CheckResult, RegistryCheck } from "../types";
import { effectiveScanFrequency, type ScanFrequency } from "./effective-scan";
import { findRepositoryEnvironment, type RepositoryEnvironment } from "./environment";
import { INSPECTOR_INITIAL_SCAN_USD } from "@/lib/cost/pricing";
import { error, fail, notApplicable, pass, unreadable, usdPerMonth } from "./result";

/**
 * COST-06: scanning is paid where it protects production. A dev repository scanned continuously
 * pays Inspector's rescans for images nobody deploys; a prod repository left MANUAL is not scanned.
 * Repositories of neither environment are not judged.
 *
 * An offender found is a FAIL even when other repositories could not be read (they can only add
 * offenders); only a registry with no offender and some unknown repository is ERROR.
 */

const NAMED_IN_REASON = 5;
const DAY_MS = 86_400_000;
/** The window over which pushes to dev repositories are counted as a month's enhanced scans. */
const SCAN_WINDOW_DAYS = 30;
const IN_EVIDENCE = 10;

interface Offender {
  name: string;
  environment: RepositoryEnvironment;
  environmentSource: string;
  frequency: ScanFrequency;
  /** Images pushed in the last SCAN_WINDOW_DAYS (each one an enhanced scan when scanned continuously). */
  recentPushes: number;
}

export const scanCostByEnvironment: RegistryCheck = {
  id: "scan-cost-by-environment",
  scope: "registry",
  evaluate(registry, repositories, ctx) {
    if (repositories.length === 0) return notApplicable("The registry has no repositories");

    const counts = { prod: 0, dev: 0, other: 0 };
    const offenders: Offender[] = [];
    const unknown: string[] = [];
    let firstUnknown: CheckResult | null = null;
    for (const repo of repositories) {
      const env = findRepositoryEnvironment(repo, ctx);
      // The tag outranks the name: when it was not read, a name pattern cannot stand in for it.
      if (env.source !== "account" && repo.tags === null) {
        unknown.push(repo.name);
        firstUnknown ??= unreadable(repo.readErrors, ["ListTagsForResource"]) ?? error(`The tags of ${repo.name} (ListTagsForResource) were not collected`);
        continue;
      }
      counts[env.environment]++;
      if (env.environment === "other") continue;
      const scan = effectiveScanFrequency(repo, registry);
      if ("error" in scan) {
        unknown.push(repo.name);
        firstUnknown ??= scan.error;
        continue;
      }
      const offends = env.environment === "dev" ? scan.frequency === "CONTINUOUS_SCAN" : scan.frequency === "MANUAL";
      if (offends) {
        const since = ctx.now.getTime() - SCAN_WINDOW_DAYS * DAY_MS;
        const recentPushes = repo.images.reduce((n, image) => n + (image.pushedAt.getTime() >= since ? 1 : 0), 0);
        offenders.push({ name: repo.name, environment: env.environment, environmentSource: env.value ? `${env.source} ${env.value}` : env.source, frequency: scan.frequency, recentPushes });
      }
    }

    const evidence = {
      scanType: registry.scanType,
      repositories: repositories.length,
      environments: counts,
      offenderCount: offenders.length,
      offenders: offenders.slice(0, IN_EVIDENCE),
      ...(unknown.length > 0 ? { unreadableCount: unknown.length, unreadable: unknown.slice(0, IN_EVIDENCE) } : {}),
    };
    const devScans = offenders.filter((o) => o.environment === "dev").reduce((n, o) => n + o.recentPushes, 0);
    const scanCost = { devImagesScannedIn30Days: devScans, inspectorUsdPerInitialScan: INSPECTOR_INITIAL_SCAN_USD, estimatedMonthlyUsd: devScans * INSPECTOR_INITIAL_SCAN_USD, estimated: true };
    if (offenders.length > 0) {
      const cost =
        devScans > 0
          ? `; the ${devScans} image${devScans === 1 ? "" : "s"} pushed to the dev ones in the last ${SCAN_WINDOW_DAYS} days cost about ${usdPerMonth(devScans * INSPECTOR_INITIAL_SCAN_USD)} in Inspector scans ($${INSPECTOR_INITIAL_SCAN_USD} each, rescans extra)`
          : "";
      const named = offenders.slice(0, NAMED_IN_REASON).map((o) => `${o.name} (${o.environment}, ${o.frequency})`);
      const more = offenders.length > NAMED_IN_REASON ? ` and ${offenders.length - NAMED_IN_REASON} more` : "";
      const total = `${unknown.length > 0 ? "At least " : ""}${offenders.length}`;
      return fail(`${total} ${offenders.length === 1 ? "repository is" : "repositories are"} scanned against ${offenders.length === 1 ? "its" : "their"} environment's rule (dev scanned continuously, or prod left MANUAL): ${named.join(", ")}${more}${cost}`, { ...evidence, ...scanCost });
    }
    if (firstUnknown) {
      return { ...firstUnknown, reason: `${unknown.length} of ${repositories.length} repositories could not be judged: ${firstUnknown.reason}`, evidence: { ...firstUnknown.evidence, ...evidence } };
    }
    return pass(
      `The ${registry.scanType ? `${registry.scanType} ` : ""}registry scans by environment: ${counts.prod} prod repositories all scanned, ${counts.dev} dev repositories none scanned continuously (${counts.other} of neither environment)`,
      evidence,
    );
  },
};
