import { describe, expect, it } from "vitest";
import type { ComplianceSettings, ImageFacts, RepositoryFacts } from "../types";
import { latestImageVulns } from "./latest-image-vulns";
import { checkContext, COSIGN_SIGNATURE, daysAgo, digestOf, imageFacts, readErrors, registryFacts as registry, repositoryFacts as repo } from "./testing";

const ctx = (settings: Partial<ComplianceSettings> = {}) => checkContext({ settings });

const image = (overrides: Partial<ImageFacts> = {}): ImageFacts =>
  imageFacts({
    tags: ["1.4.2", "latest"],
    sizeBytes: 80_000_000,
    pushedAt: daysAgo(3),
    lastPulledAt: daysAgo(1),
    scanStatus: "COMPLETE",
    scanDescription: "The scan was completed successfully.",
    scanCompletedAt: daysAgo(3),
    severityCounts: { MEDIUM: 2, LOW: 7 },
    ...overrides,
  });
const older = image({ digest: digestOf(0), tags: ["1.4.1"], pushedAt: daysAgo(40), scanCompletedAt: daysAgo(40), severityCounts: { CRITICAL: 9 } });
const signature = image({ digest: digestOf(5), tags: [`sha256-${"1".repeat(64)}.sig`], pushedAt: daysAgo(0.5), artifactMediaType: COSIGN_SIGNATURE, scanStatus: null, scanCompletedAt: null, severityCounts: null });
const latest = (overrides: Partial<ImageFacts>) => repo({ images: [older, image(overrides), signature] });

describe("latest-image-vulns", () => {
  it.each<[string, RepositoryFacts, string, string, Partial<ComplianceSettings>?]>([
    ["PASS: a recent clean scan, skipping a newer signature and an older vulnerable image", latest({}), "PASS", "1.4.2 (sha256:111111111111) was scanned 2026-10-29 (COMPLETE) with no finding at or above HIGH"],
    ["PASS: an enhanced ACTIVE scan", latest({ scanStatus: "ACTIVE", scanCompletedAt: daysAgo(0.2) }), "PASS", "(ACTIVE)"],
    ["PASS: a completed scan with no counts found nothing", latest({ severityCounts: null }), "PASS", "no finding at or above HIGH"],
    ["PASS: MEDIUM findings below a CRITICAL threshold", latest({ severityCounts: { HIGH: 3, MEDIUM: 2 } }), "PASS", "no finding at or above CRITICAL", { vulnerabilityThreshold: "CRITICAL" }],
    ["PASS: scanned exactly at the staleness limit", latest({ scanCompletedAt: daysAgo(30) }), "PASS", "2026-10-02"],
    ["FAIL: never scanned", latest({ scanStatus: null, scanCompletedAt: null, severityCounts: null }), "FAIL", "pushed 2026-10-29, has never been scanned"],
    ["FAIL: scan FAILED", latest({ scanStatus: "FAILED", scanDescription: "Unable to retrieve the image manifest" }), "FAIL", "scan status FAILED: Unable to retrieve the image manifest"],
    ["FAIL: findings at the threshold", latest({ severityCounts: { CRITICAL: 2, HIGH: 5, MEDIUM: 1 } }), "FAIL", "has 2 CRITICAL, 5 HIGH findings (threshold HIGH)"],
    ["FAIL: MEDIUM findings under a MEDIUM threshold", latest({ severityCounts: { MEDIUM: 2, LOW: 3 } }), "FAIL", "has 2 MEDIUM findings (threshold MEDIUM)", { vulnerabilityThreshold: "MEDIUM" }],
    ["FAIL: a stale scan", latest({ pushedAt: daysAgo(35), scanCompletedAt: daysAgo(35) }), "FAIL", "1.4.2 (sha256:111111111111) has no finding at or above HIGH, but its scan completed 2026-09-27, 35 days ago (more than 30)"],
    ["FAIL: stale and vulnerable names both", latest({ scanCompletedAt: daysAgo(45), severityCounts: { HIGH: 1 } }), "FAIL", "has 1 HIGH findings (threshold HIGH), and its scan completed 2026-09-17, 45 days ago"],
    ["FAIL: findings with no completion time", latest({ scanCompletedAt: null, severityCounts: { CRITICAL: 1 } }), "FAIL", "1 CRITICAL"],
    ["MANUAL: UNSUPPORTED_IMAGE", latest({ scanStatus: "UNSUPPORTED_IMAGE", scanDescription: "The operating system is not supported" }), "MANUAL", "scan status UNSUPPORTED_IMAGE: The operating system is not supported"],
    ["MANUAL: SCAN_ELIGIBILITY_EXPIRED", latest({ scanStatus: "SCAN_ELIGIBILITY_EXPIRED", scanDescription: null }), "MANUAL", "scan status SCAN_ELIGIBILITY_EXPIRED"],
    ["MANUAL: FINDINGS_UNAVAILABLE", latest({ scanStatus: "FINDINGS_UNAVAILABLE" }), "MANUAL", "scan status FINDINGS_UNAVAILABLE"],
    ["MANUAL: LIMIT_EXCEEDED", latest({ scanStatus: "LIMIT_EXCEEDED" }), "MANUAL", "scan status LIMIT_EXCEEDED"],
    ["MANUAL: IN_PROGRESS", latest({ scanStatus: "IN_PROGRESS" }), "MANUAL", "scan status IN_PROGRESS: the scan is still in progress"],
    ["MANUAL: PENDING", latest({ scanStatus: "PENDING" }), "MANUAL", "scan status PENDING"],
    ["MANUAL: a status Portwatch does not know", latest({ scanStatus: "SOMETHING_NEW" }), "MANUAL", "scan status SOMETHING_NEW"],
    ["MANUAL: complete without a completion time", latest({ scanCompletedAt: null }), "MANUAL", "no scan completion time"],
    ["NOT_APPLICABLE: no images", repo({ images: [] }), "NOT_APPLICABLE", "no images"],
    ["NOT_APPLICABLE: only a signature", repo({ images: [signature] }), "NOT_APPLICABLE", "1 artifacts are signatures"],
    ["ERROR: DescribeImages failed", repo({ images: [], readErrors: readErrors("DescribeImages") }), "ERROR", "ecr:DescribeImages failed with AccessDeniedException"],
    [
      "ERROR: no counts and the findings unreadable",
      repo({ images: [image({ severityCounts: null })], readErrors: readErrors("DescribeImageScanFindings") }),
      "ERROR",
      "ecr:DescribeImageScanFindings failed",
    ],
    ["ERROR: no counts and Inspector unreadable", repo({ images: [image({ severityCounts: null, scanStatus: "ACTIVE" })], readErrors: readErrors("ListFindings", "inspector2") }), "ERROR", "inspector2:ListFindings failed"],
  ])("%s", (_label, repository, status, reason, settings) => {
    const result = latestImageVulns.evaluate(repository, registry(), ctx(settings));
    expect(result.status).toBe(status);
    expect(result.reason).toContain(reason);
  });

  it("counts from DescribeImages decide even when the findings call failed", () => {
    const result = latestImageVulns.evaluate(repo({ images: [image()], readErrors: readErrors("DescribeImageScanFindings") }), registry(), ctx());
    expect(result.status).toBe("PASS");
  });

  it("gives the image's digest, tags, push, scan and counts as evidence", () => {
    const result = latestImageVulns.evaluate(latest({ severityCounts: { CRITICAL: 2 } }), registry(), ctx());
    expect(result.evidence).toMatchObject({
      digest: digestOf(1),
      tags: ["1.4.2", "latest"],
      pushedAt: daysAgo(3).toISOString(),
      scanStatus: "COMPLETE",
      scanCompletedAt: daysAgo(3).toISOString(),
      severityCounts: { CRITICAL: 2 },
      threshold: "HIGH",
    });
  });
});
