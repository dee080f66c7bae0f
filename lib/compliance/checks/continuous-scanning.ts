import type { RepositoryCheck } from "../types";
import { describeScan, effectiveScanFrequency } from "./effective-scan";
import { error, fail, pass, unreadable } from "./result";

/**
 * RA-5, IVS-01, SI-4: images are rescanned as new CVEs are published (Inspector's continuous
 * scanning), not only when pushed.
 *
 * A CONTINUOUS_SCAN configuration is a request; Inspector's coverage says whether it is honoured,
 * so a PASS needs the coverage read: a failed or missing ListCoverage is ERROR, and a repository
 * Inspector does not list at all (coverage read for the registry) is not covered, so FAIL.
 * Configurations that cannot pass (BASIC, SCAN_ON_PUSH, MANUAL) FAIL without needing coverage.
 * Inspector's rescan duration (inspector2 GetConfiguration) is not among the facts, so the
 * evidence cannot carry it.
 */
export const continuousScanning: RepositoryCheck = {
  id: "continuous-scanning",
  scope: "repository",
  evaluate(repo, registry) {
    const scan = effectiveScanFrequency(repo, registry);
    if ("error" in scan) return scan.error;
    const evidence = { scanFrequency: scan.frequency, source: scan.source, filters: scan.filters, registryScanType: registry.scanType };

    if (scan.frequency !== "CONTINUOUS_SCAN") {
      const registryType = registry.scanType ? ` in a registry of scan type ${registry.scanType}` : "";
      return fail(`Effective scan frequency is ${describeScan(scan)}${registryType}: images are not rescanned as new vulnerabilities are published`, evidence);
    }
    if (registry.scanType === null) {
      return (
        unreadable(registry.readErrors, ["GetRegistryScanningConfiguration"], evidence) ??
        error("The registry's scan type (GetRegistryScanningConfiguration) was not collected", evidence)
      );
    }
    if (registry.scanType !== "ENHANCED") {
      return fail(`The registry's scan type is ${registry.scanType}: continuous scanning needs ENHANCED (Amazon Inspector)`, evidence);
    }

    const coverageError = unreadable(registry.readErrors, ["ListCoverage"], evidence);
    if (coverageError) return coverageError;
    if (registry.inspectorCoverage === null) return error("Inspector coverage (inspector2 ListCoverage) was not collected for this ENHANCED registry", evidence);
    const coverage = registry.inspectorCoverage[repo.name] ?? null;
    const withCoverage = { ...evidence, inspectorCoverage: coverage };
    if (coverage === null) {
      return fail(`Effective scan frequency is ${describeScan(scan)} but Amazon Inspector lists no coverage for ${repo.name}: its images are not being scanned`, withCoverage);
    }
    if (coverage !== "ACTIVE") {
      return fail(`Effective scan frequency is ${describeScan(scan)} but Amazon Inspector coverage is ${coverage}`, withCoverage);
    }
    return pass(`Effective scan frequency is ${describeScan(scan)} in an ENHANCED registry, and Amazon Inspector coverage is ACTIVE`, withCoverage);
  },
};
