import type { RegistryCheck } from "../types";
import { error, fail, pass, unreadable } from "./result";

/** SI-4: GuardDuty watches the registry's account and region (one detector per account and region). */
export const guarddutyEnabled: RegistryCheck = {
  id: "guardduty-enabled",
  scope: "registry",
  evaluate({ region, guardDutyDetectors: detectors, readErrors }) {
    const failed = unreadable(readErrors, ["ListDetectors", "GetDetector"], { region });
    if (failed) return failed;
    if (detectors === null) return error(`The GuardDuty detectors of ${region} were not collected (no ListDetectors answer and no recorded failure)`, { region });
    const evidence = { region, detectors: detectors.slice(0, 10), detectorCount: detectors.length };
    const enabled = detectors.find((d) => d.status === "ENABLED");
    if (enabled) return pass(`GuardDuty detector ${enabled.detectorId} is ENABLED in ${region}`, evidence);
    if (detectors.length === 0) return fail(`No GuardDuty detector in ${region}: GuardDuty is not enabled there`, evidence);
    return fail(`GuardDuty is suspended in ${region}: ${detectors.map((d) => `detector ${d.detectorId} is ${d.status}`).join(", ")}`, evidence);
  },
};
