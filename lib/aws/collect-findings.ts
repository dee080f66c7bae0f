import { DescribeImageScanFindingsCommand, type ECRClient, type ImageScanFinding } from "@aws-sdk/client-ecr";
import { type Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { callAws, nullWhen, type RegionContext, tryCall } from "./clients";
import type { FindingRecord, ImageFindingsRecord, ImageRecord, RepositoryRecord } from "./types";

/**
 * The scan findings of one image (the latest scannable one: latest-image.ts): ECR's basic
 * findings, or the enhanced (Inspector) findings ECR relays, or Inspector2 itself when ECR relays
 * none for an ENHANCED registry. No scan (ScanNotFoundException) is a fact: null, no failure.
 */

const NO_SCAN = ["ScanNotFoundException"];

const keyOf = (name: string, packageName: string | null, packageVersion: string | null) => `${name}|${packageName ?? ""}|${packageVersion ?? ""}`;

function numberOrNull(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function fromBasicFinding(f: ImageScanFinding): FindingRecord {
  const attribute = (key: string) => f.attributes?.find((a) => a.key === key)?.value;
  const name = f.name ?? "UNKNOWN";
  const packageName = attribute("package_name") ?? null;
  const packageVersion = attribute("package_version") ?? null;
  return {
    key: keyOf(name, packageName, packageVersion),
    name,
    severity: f.severity ?? "UNDEFINED",
    packageName,
    packageVersion,
    fixedInVersion: null,
    uri: f.uri ?? null,
    description: f.description ?? null,
    score: numberOrNull(attribute("CVSS3_SCORE")) ?? numberOrNull(attribute("CVSS2_SCORE")),
  };
}

/** The part an ECR enhanced finding and an Inspector2 finding share. */
interface PackageFinding {
  title?: string;
  severity?: string;
  description?: string;
  score?: number;
  packageVulnerabilityDetails?: {
    vulnerabilityId?: string;
    sourceUrl?: string;
    referenceUrls?: string[];
    cvss?: { baseScore?: number; version?: string }[];
    vulnerablePackages?: { name?: string; version?: string; fixedInVersion?: string }[];
  };
}

/** One record per vulnerable package: the same CVE in two packages is two things to fix. */
export function fromPackageFinding(f: PackageFinding): FindingRecord[] {
  const details = f.packageVulnerabilityDetails;
  const name = details?.vulnerabilityId ?? f.title ?? "UNKNOWN";
  const cvss = [...(details?.cvss ?? [])].sort((a, b) => (b.version ?? "").localeCompare(a.version ?? ""))[0];
  const packages = details?.vulnerablePackages?.length ? details.vulnerablePackages : [{}];
  return packages.map((p: { name?: string; version?: string; fixedInVersion?: string }) => ({
    key: keyOf(name, p.name ?? null, p.version ?? null),
    name,
    severity: f.severity ?? "UNDEFINED",
    packageName: p.name ?? null,
    packageVersion: p.version ?? null,
    // Inspector writes NotAvailable where no fix exists.
    fixedInVersion: p.fixedInVersion && p.fixedInVersion !== "NotAvailable" ? p.fixedInVersion : null,
    uri: details?.sourceUrl ?? details?.referenceUrls?.[0] ?? null,
    description: f.description ?? null,
    score: cvss?.baseScore ?? f.score ?? null,
  }));
}

/** Keeps the first finding of each key, so `key` is unique within an image. */
function unique(findings: FindingRecord[]): FindingRecord[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.key) ? false : (seen.add(f.key), true)));
}

const total = (counts: Record<string, number> | null | undefined) => Object.values(counts ?? {}).reduce((s, n) => s + (n ?? 0), 0);

/** Inspector2's active findings for one image (all pages). */
async function inspectorFindings(ctx: RegionContext, inspector: Inspector2Client, repo: RepositoryRecord, image: ImageRecord): Promise<FindingRecord[]> {
  const out: FindingRecord[] = [];
  let nextToken: string | undefined;
  const filterCriteria = {
    awsAccountId: [{ comparison: "EQUALS" as const, value: repo.accountId }],
    ecrImageRepositoryName: [{ comparison: "EQUALS" as const, value: repo.name }],
    ecrImageHash: [{ comparison: "EQUALS" as const, value: image.digest }],
    findingStatus: [{ comparison: "EQUALS" as const, value: "ACTIVE" }],
  };
  do {
    const page = await callAws(ctx, "inspector2", "ListFindings", repo.arn, (o) => inspector.send(new ListFindingsCommand({ filterCriteria, maxResults: 100, nextToken }), o));
    for (const f of page.findings ?? []) out.push(...fromPackageFinding(f));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * The findings of `image`; null when it was never scanned, or when the call failed (recorded on
 * the repository's errors). `scanType` is the registry's (ENHANCED turns on the Inspector fallback).
 */
export async function collectImageFindings(
  ctx: RegionContext,
  clients: { ecr: ECRClient; inspector: Inspector2Client },
  repo: RepositoryRecord,
  image: ImageRecord,
  scanType: string | null,
): Promise<ImageFindingsRecord | null> {
  const scan = await tryCall(ctx, repo.errors, () =>
    nullWhen(NO_SCAN, async () => {
      const basic: FindingRecord[] = [];
      const enhanced: FindingRecord[] = [];
      let sawEnhanced = false;
      let status: string | null = null;
      let completedAt: Date | null = null;
      let counts: Record<string, number> | null = null;
      let nextToken: string | undefined;
      do {
        const page = await callAws(
          ctx,
          "ecr",
          "DescribeImageScanFindings",
          repo.arn,
          (o) =>
            clients.ecr.send(
              new DescribeImageScanFindingsCommand({ repositoryName: repo.name, registryId: repo.accountId, imageId: { imageDigest: image.digest }, maxResults: 1000, nextToken }),
              o,
            ),
          { expected: NO_SCAN },
        );
        status = page.imageScanStatus?.status ?? status;
        completedAt = page.imageScanFindings?.imageScanCompletedAt ?? completedAt;
        counts = page.imageScanFindings?.findingSeverityCounts ?? counts;
        for (const f of page.imageScanFindings?.findings ?? []) basic.push(fromBasicFinding(f));
        if (page.imageScanFindings?.enhancedFindings) sawEnhanced = true;
        for (const f of page.imageScanFindings?.enhancedFindings ?? []) enhanced.push(...fromPackageFinding(f));
        nextToken = page.nextToken;
      } while (nextToken);
      return { basic, enhanced, sawEnhanced, status, completedAt, counts };
    }),
  );
  if (!scan) return null;

  const record = (source: ImageFindingsRecord["source"], findings: FindingRecord[]): ImageFindingsRecord => ({
    imageDigest: image.digest,
    source,
    scanStatus: scan.status ?? image.scanStatus,
    scanCompletedAt: scan.completedAt ?? image.scanCompletedAt,
    findings: unique(findings),
  });
  if (scan.enhanced.length > 0) return record("enhanced", scan.enhanced);
  if (scanType !== "ENHANCED") return record("basic", scan.basic);
  // ENHANCED, and ECR relayed no finding: ask Inspector only when the counts say there are some
  // (or ECR said nothing about enhanced findings at all).
  if (scan.sawEnhanced && total(scan.counts) === 0) return record("enhanced", []);
  const fromInspector = await tryCall(ctx, repo.errors, () => inspectorFindings(ctx, clients.inspector, repo, image));
  return fromInspector ? record("inspector2", fromInspector) : null;
}
