import { ECRClient } from "@aws-sdk/client-ecr";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getImages, getRepositories } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { createClient, type RegionContext } from "./clients";
import { collectImageFindings, fromBasicFinding, fromPackageFinding } from "./collect-findings";
import { listRepositories } from "./collect-repositories";
import type { RoleSessions } from "./credentials";
import { sandboxRegionContext, sandboxSessions } from "./testing";
import type { ImageRecord, RepositoryRecord } from "./types";

describe("finding records", () => {
  it("reads a basic finding's package and CVSS score from its attributes", () => {
    expect(
      fromBasicFinding({
        name: "CVE-2024-1234",
        severity: "HIGH",
        uri: "https://security-tracker.debian.org/tracker/CVE-2024-1234",
        description: "A vulnerability in zlib.",
        attributes: [
          { key: "package_name", value: "zlib" },
          { key: "package_version", value: "1.2.13" },
          { key: "CVSS2_SCORE", value: "7.5" },
        ],
      }),
    ).toEqual({
      key: "CVE-2024-1234|zlib|1.2.13",
      name: "CVE-2024-1234",
      severity: "HIGH",
      packageName: "zlib",
      packageVersion: "1.2.13",
      fixedInVersion: null,
      uri: "https://security-tracker.debian.org/tracker/CVE-2024-1234",
      description: "A vulnerability in zlib.",
      score: 7.5,
    });
  });

  it("makes one record per vulnerable package of an enhanced finding, preferring the newest CVSS version", () => {
    const records = fromPackageFinding({
      severity: "CRITICAL",
      title: "CVE-2024-9999 - openssl",
      score: 9.1,
      packageVulnerabilityDetails: {
        vulnerabilityId: "CVE-2024-9999",
        sourceUrl: "https://nvd.nist.gov/vuln/detail/CVE-2024-9999",
        cvss: [
          { baseScore: 7.0, version: "2.0" },
          { baseScore: 9.8, version: "3.1" },
        ],
        vulnerablePackages: [
          { name: "openssl", version: "3.0.1", fixedInVersion: "3.0.2" },
          { name: "libssl3", version: "3.0.1", fixedInVersion: "NotAvailable" },
        ],
      },
    });
    expect(records.map((r) => [r.key, r.fixedInVersion, r.score])).toEqual([
      ["CVE-2024-9999|openssl|3.0.1", "3.0.2", 9.8],
      ["CVE-2024-9999|libssl3|3.0.1", null, 9.8],
    ]);
  });
});

describe("collectImageFindings against the sandbox", () => {
  let sandbox: RunningSandbox;
  let sessions: RoleSessions;
  let ctx: RegionContext;
  let ecr: ECRClient;
  let inspector: Inspector2Client;
  let repositories: RepositoryRecord[];
  const region = "us-east-1";

  beforeAll(async () => {
    sandbox = await startSandbox(sandboxOptions("demo", { seed: 9 }));
    sessions = sandboxSessions(sandbox);
    // Account 1's first registry is ENHANCED.
    ctx = sandboxRegionContext(sandbox, sessions, sandbox.organization.accounts[1].id, region);
    const config = { ...ctx.client, region, credentials: ctx.credentials, stats: ctx.stats };
    ecr = createClient(ECRClient, config);
    inspector = createClient(Inspector2Client, config);
    repositories = await listRepositories(ctx, ecr);
  });
  afterAll(async () => {
    ecr.destroy();
    inspector.destroy();
    sessions.destroy();
    await sandbox.close();
  });

  const modelImage = (repo: RepositoryRecord) => {
    const model = getRepositories(sandbox.organization, ctx.accountId, region).find((r) => r.arn === repo.arn)!;
    const latest = getImages(sandbox.organization, model).find((i) => !i.tags.some((t) => t.endsWith(".sig")))!;
    const record: ImageRecord = {
      digest: latest.digest,
      tags: latest.tags,
      sizeBytes: latest.sizeInBytes,
      pushedAt: latest.pushedAt,
      lastPulledAt: null,
      manifestMediaType: latest.manifestMediaType,
      artifactMediaType: latest.artifactMediaType ?? null,
      scanStatus: latest.scan?.status ?? null,
      scanDescription: null,
      scanCompletedAt: latest.scan?.completedAt ?? null,
      severityCounts: latest.scan?.counts ?? null,
      layers: null,
    };
    return { latest, record };
  };

  it("treats ScanNotFoundException as a fact: null, nothing recorded", async () => {
    const repo = repositories.find((r) => r.name.endsWith("/legacy-tools"))!;
    const { record } = modelImage(repo);
    const failed = ctx.stats.failed;
    expect(await collectImageFindings(ctx, { ecr, inspector }, repo, record, "ENHANCED")).toBeNull();
    expect(repo.errors).toEqual({});
    expect(ctx.failures).toEqual([]);
    expect(ctx.stats.failed).toBe(failed);
  });

  it("asks Inspector2 when ECR relays no enhanced findings for an image that has some", async () => {
    const repo = repositories.find((r) => r.name.endsWith("/inventory-api"))!;
    const { latest, record } = modelImage(repo);
    // An ECR that answers the scan's summary but no enhancedFindings list.
    const silentEcr = {
      send: async () => ({
        imageScanStatus: { status: latest.scan!.status },
        imageScanFindings: { imageScanCompletedAt: latest.scan!.completedAt, findingSeverityCounts: latest.scan!.counts },
      }),
    } as unknown as ECRClient;
    const findings = await collectImageFindings(ctx, { ecr: silentEcr, inspector }, repo, record, "ENHANCED");
    expect(findings).toMatchObject({ imageDigest: latest.digest, source: "inspector2", scanStatus: latest.scan!.status });
    const total = Object.values(latest.scan!.counts).reduce((a, b) => a + (b ?? 0), 0);
    expect(findings!.findings).toHaveLength(total);
    expect(findings!.findings.filter((f) => f.severity === "CRITICAL")).toHaveLength(latest.scan!.counts.CRITICAL ?? 0);
    expect(repo.errors).toEqual({});
  });
});
