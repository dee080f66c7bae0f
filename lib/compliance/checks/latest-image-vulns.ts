import { SEVERITY_ORDER } from "../../severity";
import type { ImageFacts, RepositoryCheck } from "../types";
import { latestImageToJudge } from "./latest-image";
import { fail, manual, pass, unreadable } from "./result";

/**
 * RA-5, IVS-01: the image a repository would deploy next (its newest container image) has a
 * recent, completed scan with nothing at or above the vulnerability threshold.
 *
 * The counts are ECR's findingSeverityCounts (the same for basic and enhanced scanning). AWS
 * omits them for a scan that found nothing, so a completed scan without counts is clean, unless
 * reading the findings failed, which leaves it unknown (ERROR).
 */

const DAY_MS = 86_400_000;
const MAX_TAGS = 10;
/** States AWS cannot judge for us: a person has to look (CONTROLS.md: MANUAL with the status). */
const NEEDS_A_PERSON = new Set(["UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "LIMIT_EXCEEDED"]);
// A scan still running has no result yet; the next run judges it, so it is not a failure today.
const RUNNING = new Set(["IN_PROGRESS", "PENDING"]);
const SCANNED = new Set(["COMPLETE", "ACTIVE"]);

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function imageEvidence(image: ImageFacts) {
  return {
    digest: image.digest,
    tags: image.tags.slice(0, MAX_TAGS),
    ...(image.tags.length > MAX_TAGS ? { tagCount: image.tags.length } : {}),
    pushedAt: image.pushedAt.toISOString(),
    scanStatus: image.scanStatus,
    scanDescription: image.scanDescription,
    scanCompletedAt: image.scanCompletedAt?.toISOString() ?? null,
    severityCounts: image.severityCounts,
  };
}

function imageName(image: ImageFacts): string {
  const tag = image.tags[0];
  return tag ? `${tag} (${image.digest.slice(0, 19)})` : image.digest.slice(0, 19);
}

export const latestImageVulns: RepositoryCheck = {
  id: "latest-image-vulns",
  scope: "repository",
  evaluate(repo, _registry, ctx) {
    const latest = latestImageToJudge(repo, ", none scannable");
    if ("result" in latest) return latest.result;
    const { image } = latest;

    const { vulnerabilityThreshold: threshold, scanStalenessDays } = ctx.settings;
    const evidence = { ...imageEvidence(image), threshold, scanStalenessDays };
    const name = imageName(image);
    const status = image.scanStatus;

    if (status === null) return fail(`The latest image ${name}, pushed ${isoDay(image.pushedAt)}, has never been scanned`, evidence);
    if (status === "FAILED") return fail(`The latest image ${name} has scan status FAILED${image.scanDescription ? `: ${image.scanDescription}` : ""}`, evidence);
    if (NEEDS_A_PERSON.has(status)) return manual(`The latest image ${name} has scan status ${status}${image.scanDescription ? `: ${image.scanDescription}` : ""}`, evidence);
    if (RUNNING.has(status)) return manual(`The latest image ${name} has scan status ${status}: the scan is still in progress`, evidence);
    if (!SCANNED.has(status)) return manual(`The latest image ${name} has scan status ${status}, which Portwatch cannot judge`, evidence);

    if (image.severityCounts === null) {
      const findingsFailure = unreadable(repo.readErrors, ["DescribeImageScanFindings", "ListFindings"], evidence);
      if (findingsFailure) return findingsFailure;
    }
    const rank = SEVERITY_ORDER.indexOf(threshold);
    const severe: string[] = [];
    for (const severity of SEVERITY_ORDER.slice(0, rank + 1)) {
      const count = image.severityCounts?.[severity] ?? 0;
      if (count > 0) severe.push(`${count} ${severity}`);
    }

    const findings = severe.length > 0 ? `has ${severe.join(", ")} findings (threshold ${threshold})` : null;
    const completedAt = image.scanCompletedAt;
    if (completedAt === null) {
      if (findings) return fail(`The latest image ${name} ${findings}`, evidence);
      return manual(`The latest image ${name} has scan status ${status} but AWS reported no scan completion time, so its age cannot be judged`, evidence);
    }
    const ageMs = ctx.now.getTime() - completedAt.getTime();
    const stale = ageMs > scanStalenessDays * DAY_MS ? `its scan completed ${isoDay(completedAt)}, ${Math.floor(ageMs / DAY_MS)} days ago (more than ${scanStalenessDays})` : null;
    if (findings) return fail(`The latest image ${name} ${findings}${stale ? `, and ${stale}` : ""}`, evidence);
    if (stale) return fail(`The latest image ${name} has no finding at or above ${threshold}, but ${stale}`, evidence);
    return pass(`The latest image ${name} was scanned ${isoDay(completedAt)} (${status}) with no finding at or above ${threshold}`, evidence);
  },
};
