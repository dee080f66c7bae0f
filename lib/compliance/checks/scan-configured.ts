import type { RepositoryCheck } from "../types";
import { describeScan, effectiveScanFrequency } from "./effective-scan";
import { fail, pass } from "./result";

/** ECR.1, DSI-01, SI-3: images are scanned at all (on push or continuously), not only on demand. */
export const scanConfigured: RepositoryCheck = {
  id: "scan-configured",
  scope: "repository",
  evaluate(repo, registry) {
    const scan = effectiveScanFrequency(repo, registry);
    if ("error" in scan) return scan.error;
    const evidence = {
      scanFrequency: scan.frequency,
      source: scan.source,
      filters: scan.filters,
      registryScanType: registry.scanType,
      scanOnPush: repo.scanOnPush,
    };
    if (scan.frequency === "MANUAL") {
      return fail(`Effective scan frequency is ${describeScan(scan)}: images are scanned only on demand`, evidence);
    }
    return pass(`Effective scan frequency is ${describeScan(scan)}`, evidence);
  },
};
