import { createHash } from "node:crypto";
import type { Image, Repository } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import { rngFor } from "../rng";

/**
 * Scan findings matching an image's severity counts: CVE-style ids, packages and fixed versions,
 * shaped as ECR basic findings or as enhanced (Inspector) findings.
 */
const PACKAGES = ["openssl", "glibc", "zlib", "curl", "libxml2", "expat", "busybox", "ncurses", "sqlite", "libssh2", "krb5", "pcre2", "libtasn1", "gnutls"];
const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;

interface Finding {
  id: string;
  severity: (typeof SEVERITIES)[number];
  pkg: string;
  version: string;
  fixedIn?: string;
  score: number;
}

function findingsOf(org: SandboxOrganization, repo: Repository, image: Image): Finding[] {
  const out: Finding[] = [];
  for (const severity of SEVERITIES) {
    const count = image.scan?.counts[severity] ?? 0;
    for (let k = 0; k < count; k++) {
      const rng = rngFor(org.options.seed, "finding", image.digest, severity, k);
      const year = rng.int(2019, 2026);
      const pkg = rng.pick(PACKAGES);
      const major = rng.int(1, 3);
      const minor = rng.int(0, 20);
      out.push({
        id: `CVE-${year}-${rng.int(1000, 52999)}`,
        severity,
        pkg,
        version: `${major}.${minor}.${rng.int(0, 9)}`,
        fixedIn: rng.chance(0.7) ? `${major}.${minor + 1}.0` : undefined,
        score: severity === "CRITICAL" ? 9 + rng.int(0, 10) / 10 : severity === "HIGH" ? 7 + rng.int(0, 19) / 10 : severity === "MEDIUM" ? 4 + rng.int(0, 29) / 10 : rng.int(1, 39) / 10,
      });
    }
  }
  return out;
}

export function basicFindings(org: SandboxOrganization, repo: Repository, image: Image) {
  return findingsOf(org, repo, image).map((f) => ({
    name: f.id,
    description: `A vulnerability in ${f.pkg} ${f.version}.`,
    uri: `https://security-tracker.debian.org/tracker/${f.id}`,
    severity: f.severity,
    attributes: [
      { key: "package_name", value: f.pkg },
      { key: "package_version", value: f.version },
      { key: "CVSS2_SCORE", value: String(f.score) },
    ],
  }));
}

export function enhancedFindings(org: SandboxOrganization, repo: Repository, image: Image) {
  const first = new Date((image.scan?.completedAt ?? image.pushedAt).getTime() - 86_400_000);
  return findingsOf(org, repo, image).map((f) => ({
    awsAccountId: repo.accountId,
    description: `A vulnerability in ${f.pkg} ${f.version}.`,
    findingArn: `arn:aws:inspector2:${repo.region}:${repo.accountId}:finding/${createHash("sha256").update(`${image.digest}/${f.id}/${f.pkg}`).digest("hex").slice(0, 32)}`,
    firstObservedAt: first,
    lastObservedAt: image.scan?.completedAt ?? image.pushedAt,
    packageVulnerabilityDetails: {
      cvss: [{ baseScore: f.score, scoringVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", source: "NVD", version: "3.1" }],
      referenceUrls: [`https://nvd.nist.gov/vuln/detail/${f.id}`],
      source: "NVD",
      sourceUrl: `https://nvd.nist.gov/vuln/detail/${f.id}`,
      vendorSeverity: f.severity,
      vulnerabilityId: f.id,
      vulnerablePackages: [{ name: f.pkg, version: f.version, ...(f.fixedIn ? { fixedInVersion: f.fixedIn } : {}), packageManager: "OS" }],
    },
    remediation: { recommendation: { text: f.fixedIn ? `Upgrade ${f.pkg} to ${f.fixedIn}` : "None provided" } },
    resources: [{ id: `arn:aws:ecr:${repo.region}:${repo.accountId}:repository/${repo.name}/${image.digest}`, type: "AWS_ECR_CONTAINER_IMAGE" }],
    score: f.score,
    severity: f.severity,
    status: "ACTIVE",
    title: `${f.id} - ${f.pkg}`,
    type: "PACKAGE_VULNERABILITY",
    updatedAt: image.scan?.completedAt ?? image.pushedAt,
    fixAvailable: f.fixedIn ? "YES" : "NO",
  }));
}
