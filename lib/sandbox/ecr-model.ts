import { createHash } from "node:crypto";
import type { SandboxAccount, SandboxOrganization } from "./organization";
import { hash32, type Rng, rngFor } from "./rng";

/**
 * The ECR state of every registry (account x region), generated on demand and deterministically
 * from the seed. Each repository is generated with deliberate decisions (how it scans, its tag
 * mutability, encryption, policies, lifecycle); `flaws` names the CONTROLS.md checks those
 * decisions fail, so tests can assert the evaluator finds exactly them.
 */

export type RepositoryFlaw =
  | "scan-configured" // effective scan frequency MANUAL
  | "tag-immutability"
  | "lifecycle-present"
  | "lifecycle-cost-rules"
  | "kms-encryption"
  | "cmk-encryption"
  | "key-rotation"
  | "policy-not-public"
  | "cross-account-trusted"
  | "tls-in-transit"
  | "latest-image-vulns"
  | "continuous-scanning"
  | "image-size"
  | "stale-images";

export type RegistryFlaw = "trail-logging" | "guardduty-enabled" | "vpc-endpoints" | "selective-replication" | "policy-not-public" | "scan-cost-by-environment";

export type ScanFrequency = "SCAN_ON_PUSH" | "CONTINUOUS_SCAN" | "MANUAL";
export type TagMutability = "MUTABLE" | "IMMUTABLE" | "IMMUTABLE_WITH_EXCLUSION" | "MUTABLE_WITH_EXCLUSION";

export interface ScanRule {
  scanFrequency: ScanFrequency;
  repositoryFilters: { filter: string; filterType: "WILDCARD" }[];
}

export interface Registry {
  accountId: string;
  region: string;
  scanType: "BASIC" | "ENHANCED";
  rules: ScanRule[];
  replicationRules: { destinations: { region: string; registryId: string }[]; repositoryFilters?: { filter: string; filterType: "PREFIX_MATCH" }[] }[];
  policyText?: string;
  pullThroughCacheRules: { ecrRepositoryPrefix: string; upstreamRegistryUrl: string; upstreamRegistry: string; createdAt: Date }[];
  flaws: RegistryFlaw[];
  repositoryCount: number;
}

export interface Repository {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  uri: string;
  createdAt: Date;
  imageTagMutability: TagMutability;
  imageTagMutabilityExclusionFilters?: { filterType: "WILDCARD"; filter: string }[];
  scanOnPush: boolean;
  encryptionType: "AES256" | "KMS" | "KMS_DSSE";
  kmsKey?: string;
  lifecyclePolicyText?: string;
  repositoryPolicyText?: string;
  tags: { Key: string; Value: string }[];
  imageCount: number;
  flaws: RepositoryFlaw[];
  /** What getImages needs to generate images consistent with the flaws. */
  traits: ImageTraits;
}

export interface ImageLayer {
  digest: string;
  size: number;
  mediaType: string;
}

export interface Image {
  digest: string;
  tags: string[];
  sizeInBytes: number;
  pushedAt: Date;
  lastRecordedPullTime?: Date;
  manifestMediaType: string;
  artifactMediaType?: string;
  layers: ImageLayer[];
  configDigest: string;
  scan?: {
    status: "COMPLETE" | "ACTIVE" | "FAILED" | "UNSUPPORTED_IMAGE" | "SCAN_ELIGIBILITY_EXPIRED";
    completedAt?: Date;
    counts: Partial<Record<"CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL" | "UNDEFINED", number>>;
  };
}

const DAY = 86_400_000;
const GIB = 1024 ** 3;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const SERVICES = ["api", "worker", "web", "gateway", "scheduler", "ingest", "auth", "notifier", "reporting", "migrations", "sidecar", "batch"];
const BASE_IMAGES = [
  { name: "debian-12-slim", size: 29_000_000 },
  { name: "alpine-3.20", size: 3_600_000 },
  { name: "distroless-static", size: 2_100_000 },
  { name: "ubuntu-24.04", size: 29_700_000 },
  { name: "node-20", size: 48_000_000 },
  { name: "python-3.12", size: 51_000_000 },
];

const sha256 = (...parts: (string | number)[]) => createHash("sha256").update(parts.join("/")).digest("hex");

/** AWS's WILDCARD filter semantics: `*` matches any run of characters; a filter without `*` matches names containing it. */
export function matchesWildcard(name: string, filter: string): boolean {
  if (!filter.includes("*")) return name.includes(filter);
  const pattern = new RegExp(`^${filter.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return pattern.test(name);
}

/** The rule that decides a repository's scanning: the first of CONTINUOUS_SCAN, then SCAN_ON_PUSH rules that match. */
export function effectiveScan(registry: Registry, repository: Pick<Repository, "name" | "scanOnPush">): { frequency: ScanFrequency; filters: ScanRule["repositoryFilters"] } {
  for (const frequency of ["CONTINUOUS_SCAN", "SCAN_ON_PUSH"] as const) {
    if (registry.scanType === "BASIC" && frequency === "CONTINUOUS_SCAN") continue;
    const rule = registry.rules.find((r) => r.scanFrequency === frequency && r.repositoryFilters.some((f) => matchesWildcard(repository.name, f.filter)));
    if (rule) return { frequency, filters: rule.repositoryFilters.filter((f) => matchesWildcard(repository.name, f.filter)) };
  }
  // BASIC registries still honour the legacy per-repository scanOnPush flag.
  if (registry.scanType === "BASIC" && repository.scanOnPush) return { frequency: "SCAN_ON_PUSH", filters: [] };
  return { frequency: "MANUAL", filters: [] };
}

function environmentOf(org: SandboxOrganization, accountId: string): SandboxAccount["environment"] | "management" {
  return org.accounts.find((a) => a.id === accountId)?.environment ?? "management";
}

/** The customer managed keys an account has in a region (for repositories that use a CMK). */
export function kmsKeysOf(org: SandboxOrganization, accountId: string, region: string) {
  return [0, 1].map((i) => {
    const id = `${sha256(org.options.seed, "kms", accountId, region, i).slice(0, 8)}-${sha256("k", accountId, region, i).slice(0, 4)}-4${sha256("k2", accountId, i).slice(0, 3)}-a${sha256("k3", region, i).slice(0, 3)}-${sha256("k4", accountId, region, i).slice(0, 12)}`;
    return { keyId: id, arn: `arn:aws:kms:${region}:${accountId}:key/${id}`, rotation: i === 0, description: i === 0 ? "ECR images (rotated)" : "ECR images (legacy, not rotated)" };
  });
}

/** The AWS managed key for ECR in an account and region. */
export function awsManagedKey(accountId: string, region: string) {
  const id = `${sha256("aws/ecr", accountId, region).slice(0, 8)}-0000-4000-8000-${sha256("aws/ecr-2", accountId, region).slice(0, 12)}`;
  return { keyId: id, arn: `arn:aws:kms:${region}:${accountId}:key/${id}` };
}

export function getRegistry(org: SandboxOrganization, accountId: string, region: string): Registry {
  const { seed, reposPerAccount, regions } = org.options;
  const rng = rngFor(seed, "registry", accountId, region);
  const env = environmentOf(org, accountId);
  const index = org.accounts.findIndex((a) => a.id === accountId);
  const flaws: RegistryFlaw[] = [];
  // Account 1 (a dev account) carries every registry-level flaw in its first region; others draw them.
  const forced = index === 1 && region === regions[0];
  const enhanced = env === "prod" ? rng.chance(0.7) : env === "dev" && (forced || rng.chance(0.25));
  const rules: ScanRule[] = forced
    ? [
        // Continuous scanning for *api* repositories (a dev registry paying for it: COST-06),
        // scan on push for the worker, and nothing for the rest (MANUAL).
        { scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*api*", filterType: "WILDCARD" }] },
        { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "worker", filterType: "WILDCARD" }] },
      ]
    : enhanced
    ? [
        { scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] },
        { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] },
      ]
    : env === "prod" && rng.chance(0.5)
      ? [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }]
      : [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "prod*", filterType: "WILDCARD" }, { filter: "api", filterType: "WILDCARD" }] }];
  if (env === "dev" && enhanced) flaws.push("scan-cost-by-environment");

  const otherRegion = regions.find((r) => r !== region);
  const replicationRules: Registry["replicationRules"] = [];
  if (otherRegion && (forced || rng.chance(0.2))) {
    const filtered = !forced && rng.chance(0.5);
    replicationRules.push({
      destinations: [{ region: otherRegion, registryId: accountId }],
      ...(filtered ? { repositoryFilters: [{ filter: "platform", filterType: "PREFIX_MATCH" as const }] } : {}),
    });
    if (!filtered) flaws.push("selective-replication");
  }
  let policyText: string | undefined;
  if (forced || rng.chance(0.15)) {
    policyText = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "ReplicationAndPull", Effect: "Allow", Principal: { AWS: "*" }, Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:BatchGetImage"], Resource: `arn:aws:ecr:${region}:${accountId}:repository/*` }],
    });
    flaws.push("policy-not-public");
  }
  if (forced || rng.chance(0.1)) flaws.push("trail-logging");
  if (forced || rng.chance(0.1)) flaws.push("guardduty-enabled");
  if (forced || rng.chance(0.3)) flaws.push("vpc-endpoints");

  const primary = region === regions[0];
  const repositoryCount = primary ? rngFor(seed, "repo-count", accountId).longTail(reposPerAccount) : rngFor(seed, "repo-count", accountId, region).longTail(Math.max(1, Math.ceil(reposPerAccount / 3)));
  return {
    accountId,
    region,
    scanType: enhanced ? "ENHANCED" : "BASIC",
    rules,
    replicationRules,
    policyText,
    pullThroughCacheRules: rng.chance(0.3) ? [{ ecrRepositoryPrefix: "docker-hub", upstreamRegistryUrl: "registry-1.docker.io", upstreamRegistry: "docker-hub", createdAt: new Date(org.now.getTime() - rng.int(30, 600) * DAY) }] : [],
    flaws,
    // The registry that carries one repository per flaw always has room for all of them.
    repositoryCount: forced ? Math.max(repositoryCount, FORCED_NAMES.length + 2) : repositoryCount,
  };
}

function repositoryName(rng: Rng, accountName: string, i: number): string {
  const team = accountName.split("-")[0];
  const service = SERVICES[(i + rng.int(0, SERVICES.length - 1)) % SERVICES.length];
  const shape = rng.int(0, 9);
  if (shape < 6) return `${team}/${service}${i >= SERVICES.length ? `-${i}` : ""}`;
  if (shape < 8) return `${team}-${service}-${i}`;
  return `platform/base-images/${["node", "python", "go", "java", "ruby"][i % 5]}-${i}`;
}

const GOOD_LIFECYCLE = JSON.stringify({
  rules: [
    { rulePriority: 1, description: "Expire untagged images after a day", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } },
    { rulePriority: 2, description: "Keep the last 10 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 }, action: { type: "expire" } },
  ],
});
const WEAK_LIFECYCLE = JSON.stringify({
  rules: [{ rulePriority: 1, description: "Keep the last 100 release images", selection: { tagStatus: "tagged", tagPatternList: ["release-*"], countType: "imageCountMoreThan", countNumber: 100 }, action: { type: "expire" } }],
});

/**
 * Which repository-level flaws the demo forces onto account 1's first registry, one repository
 * each, so every check has a failing resource to find (the rest of the organisation draws flaws).
 */
const FORCED_NAMES = ["legacy-tools", "orders-api", "billing-api", "reports-api", "media-api", "auth-api", "ledger-api", "public-api", "vendor-api", "plain-http-api", "inventory-api", "worker", "bigmodel-api", "archive-api"];
const FORCED: RepositoryFlaw[] = [
  "scan-configured",
  "tag-immutability",
  "lifecycle-present",
  "lifecycle-cost-rules",
  "kms-encryption",
  "cmk-encryption",
  "key-rotation",
  "policy-not-public",
  "cross-account-trusted",
  "tls-in-transit",
  "latest-image-vulns",
  "continuous-scanning",
  "image-size",
  "stale-images",
];

export function getRepositories(org: SandboxOrganization, accountId: string, region: string): Repository[] {
  const registry = getRegistry(org, accountId, region);
  const account = org.accounts.find((a) => a.id === accountId);
  if (!account) return [];
  const index = org.accounts.indexOf(account);
  const forcedRegistry = index === 1 && region === org.options.regions[0];
  const names = new Set<string>();
  const out: Repository[] = [];
  for (let i = 0; i < registry.repositoryCount; i++) {
    const rng = rngFor(org.options.seed, "repository", accountId, region, i);
    let name = forcedRegistry && i < FORCED_NAMES.length ? `${account.name.split("-")[0]}/${FORCED_NAMES[i]}` : repositoryName(rng, account.name, i);
    while (names.has(name)) name = `${name}-${i}`;
    names.add(name);
    const forced: RepositoryFlaw | undefined = forcedRegistry ? FORCED[i] : undefined;
    const draw = (flaw: RepositoryFlaw, p: number) => forced === flaw || (!forcedRegistry && rng.chance(p));

    const flaws: RepositoryFlaw[] = [];
    // Tag mutability: four values; MUTABLE and MUTABLE_WITH_EXCLUSION fail.
    let imageTagMutability: TagMutability = rng.chance(0.2) ? "IMMUTABLE_WITH_EXCLUSION" : "IMMUTABLE";
    if (draw("tag-immutability", 0.35)) {
      imageTagMutability = rng.chance(0.7) ? "MUTABLE" : "MUTABLE_WITH_EXCLUSION";
      flaws.push("tag-immutability");
    }
    const exclusions = imageTagMutability.endsWith("_WITH_EXCLUSION") ? [{ filterType: "WILDCARD" as const, filter: "latest" }] : undefined;

    // Encryption: AES256 fails kms-encryption and cmk-encryption; aws/ecr fails cmk; a CMK without rotation fails key-rotation.
    const keys = kmsKeysOf(org, accountId, region);
    let encryptionType: Repository["encryptionType"] = "KMS";
    let kmsKey: string | undefined = keys[0].arn;
    if (draw("kms-encryption", 0.3)) {
      encryptionType = "AES256";
      kmsKey = undefined;
      flaws.push("kms-encryption", "cmk-encryption");
    } else if (draw("cmk-encryption", 0.2)) {
      kmsKey = awsManagedKey(accountId, region).arn;
      flaws.push("cmk-encryption");
    } else if (draw("key-rotation", 0.15)) {
      kmsKey = keys[1].arn;
      flaws.push("key-rotation");
    }

    let lifecyclePolicyText: string | undefined = GOOD_LIFECYCLE;
    if (draw("lifecycle-present", 0.25)) {
      lifecyclePolicyText = undefined;
      flaws.push("lifecycle-present", "lifecycle-cost-rules");
    } else if (draw("lifecycle-cost-rules", 0.25)) {
      lifecyclePolicyText = WEAK_LIFECYCLE;
      flaws.push("lifecycle-cost-rules");
    }

    let repositoryPolicyText: string | undefined;
    const orgStatement = { Sid: "OrgPull", Effect: "Allow", Principal: { AWS: "*" }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Condition: { StringEquals: { "aws:PrincipalOrgID": org.id } } };
    if (draw("policy-not-public", 0.05)) {
      repositoryPolicyText = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] });
      flaws.push("policy-not-public");
    } else if (draw("cross-account-trusted", 0.05)) {
      // 999988887777 belongs to no account of the organisation and is not in the trusted list.
      repositoryPolicyText = JSON.stringify({ Version: "2012-10-17", Statement: [orgStatement, { Sid: "VendorPull", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999988887777:root" }, Action: ["ecr:BatchGetImage"] }] });
      flaws.push("cross-account-trusted");
    } else if (draw("tls-in-transit", 0.03)) {
      repositoryPolicyText = JSON.stringify({ Version: "2012-10-17", Statement: [orgStatement, { Sid: "AllowPlainHttp", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ["ecr:BatchGetImage"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] });
      flaws.push("tls-in-transit");
    } else if (rng.chance(0.4)) {
      repositoryPolicyText = JSON.stringify({ Version: "2012-10-17", Statement: [orgStatement] });
    }

    // Scanning: the registry's rules decide; a name is chosen so the forced repository falls through to MANUAL.
    // Scanning: the registry's rules decide (with the legacy scanOnPush flag in BASIC registries).
    const scanOnPush = registry.scanType === "BASIC" && !draw("scan-configured", 0.2) && rng.chance(0.5);
    const scan = effectiveScan(registry, { name, scanOnPush });
    if (scan.frequency === "MANUAL") flaws.push("scan-configured");
    if (scan.frequency !== "CONTINUOUS_SCAN") flaws.push("continuous-scanning");

    const vulnerable = draw("latest-image-vulns", 0.2);
    const oversized = draw("image-size", 0.05);
    const stale = draw("stale-images", 0.15);
    // An abandoned repository holds enough untouched bytes to cross COST-03's default threshold
    // (10 GiB): at least 24 images of about 0.8 GiB (see getImages). Its own random stream, so
    // the count of every other repository is unchanged.
    const drawnCount = rngFor(org.options.seed, "image-count", accountId, region, name).longTail(org.options.imagesPerRepo);
    const imageCount = stale ? Math.max(24, drawnCount) : drawnCount;
    // The latest image fails latest-image-vulns when it has severe findings, no scan at all
    // (MANUAL), or a push-time scan older than 30 days (stale repositories).
    if (vulnerable || scan.frequency === "MANUAL" || (stale && scan.frequency === "SCAN_ON_PUSH")) flaws.push("latest-image-vulns");
    if (oversized) flaws.push("image-size");
    if (stale) flaws.push("stale-images");
    const repo: Repository = {
      accountId,
      region,
      name,
      arn: `arn:aws:ecr:${region}:${accountId}:repository/${name}`,
      uri: `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`,
      createdAt: new Date(org.now.getTime() - rng.int(400, 1500) * DAY),
      imageTagMutability,
      ...(exclusions ? { imageTagMutabilityExclusionFilters: exclusions } : {}),
      scanOnPush,
      encryptionType,
      ...(kmsKey ? { kmsKey } : {}),
      ...(lifecyclePolicyText ? { lifecyclePolicyText } : {}),
      ...(repositoryPolicyText ? { repositoryPolicyText } : {}),
      tags: [
        { Key: "team", Value: account.name.split("-")[0] },
        { Key: "environment", Value: account.environment },
        { Key: "cost-center", Value: `cc-${1000 + (hash32(account.name) % 9000)}` },
      ],
      imageCount,
      flaws,
      traits: { vulnerable, oversized, stale, frequency: scan.frequency },
    };
    out.push(repo);
  }
  return out;
}

export interface ImageTraits {
  vulnerable: boolean;
  oversized: boolean;
  stale: boolean;
  frequency: ScanFrequency;
}

/** A repository's images, newest first. */
export function getImages(org: SandboxOrganization, repo: Repository): Image[] {
  const t = repo.traits;
  const { seed } = org.options;
  const base = BASE_IMAGES[hash32(seed, repo.accountId, repo.name) % BASE_IMAGES.length];
  const baseLayer: ImageLayer = { digest: `sha256:${sha256("base", base.name)}`, size: base.size, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip" };
  const images: Image[] = [];
  const now = org.now.getTime();
  const newestAge = t.stale ? 200 : rngFor(seed, "newest", repo.arn).int(0, 20);
  for (let j = 0; j < repo.imageCount; j++) {
    const rng = rngFor(seed, "image", repo.arn, j);
    const pushedAt = new Date(now - (newestAge + j * rng.int(1, 6)) * DAY - rng.int(0, 86_399) * 1000);
    // Log-normal around 60 MB, capped so only an image meant to be oversized passes 1 GiB.
    // Abandoned repositories hold large images (about 0.8 GiB, under the 1 GiB image-size limit).
    const drawnSize = rng.logNormal(60_000_000, 0.9);
    const appSize = t.stale ? Math.round(0.75 * GIB) : Math.round(Math.min(drawnSize, 900_000_000));
    const bigLayer = t.oversized && j === 0 ? Math.round(1.6 * GIB) : 0;
    const layers: ImageLayer[] = [
      baseLayer,
      { digest: `sha256:${sha256("deps", repo.arn, Math.floor(j / 5))}`, size: Math.round(appSize * 0.7), mediaType: baseLayer.mediaType },
      { digest: `sha256:${sha256("app", repo.arn, j)}`, size: Math.round(appSize * 0.3) + bigLayer, mediaType: baseLayer.mediaType },
    ];
    const tags: string[] = [];
    if (j === 0) tags.push("latest");
    if (rng.chance(0.75) || j === 0) tags.push(`1.${Math.floor((repo.imageCount - j) / 10)}.${(repo.imageCount - j) % 10}`);
    if (rng.chance(0.5)) tags.push(sha256("git", repo.arn, j).slice(0, 7));
    const pulledDaysAgo = t.stale ? 150 + rng.int(0, 100) : j < 3 ? rng.int(0, 2) : rng.chance(0.4) ? rng.int(0, 120) : undefined;
    const severe = t.vulnerable && j === 0;
    const image: Image = {
      digest: `sha256:${sha256("image", repo.arn, j)}`,
      tags,
      sizeInBytes: layers.reduce((s, l) => s + l.size, 0) + 2_000,
      pushedAt,
      ...(pulledDaysAgo !== undefined ? { lastRecordedPullTime: new Date(now - pulledDaysAgo * DAY) } : {}),
      manifestMediaType: rng.chance(0.6) ? OCI_MANIFEST : DOCKER_MANIFEST,
      artifactMediaType: "application/vnd.oci.image.config.v1+json",
      layers,
      configDigest: `sha256:${sha256("config", repo.arn, j)}`,
      ...(t.frequency !== "MANUAL"
        ? {
            scan: {
              status: t.frequency === "CONTINUOUS_SCAN" ? ("ACTIVE" as const) : ("COMPLETE" as const),
              // Continuous scanning rescans as new CVEs are published; a push-time scan is as old as the push.
              completedAt: t.frequency === "CONTINUOUS_SCAN" ? new Date(now - rng.int(1, 48) * 3_600_000) : new Date(pushedAt.getTime() + 120_000),
              counts: severe ? { CRITICAL: rng.int(1, 3), HIGH: rng.int(2, 9), MEDIUM: rng.int(3, 20), LOW: rng.int(0, 15) } : { MEDIUM: rng.int(0, 4), LOW: rng.int(0, 12), INFORMATIONAL: rng.int(0, 5) },
            },
          }
        : {}),
    };
    images.push(image);
    // A cosign signature beside some images: an artifact, not an image, that checks must skip.
    if (j === 0 && rng.chance(0.3)) {
      images.push({
        digest: `sha256:${sha256("sig", repo.arn, j)}`,
        tags: [`sha256-${image.digest.slice(7)}.sig`],
        sizeInBytes: 1_400,
        pushedAt: new Date(pushedAt.getTime() + 30_000),
        manifestMediaType: OCI_MANIFEST,
        artifactMediaType: "application/vnd.dev.cosign.artifact.sig.v1+json",
        layers: [{ digest: `sha256:${sha256("siglayer", repo.arn)}`, size: 1_000, mediaType: "application/vnd.dev.cosign.simplesigning.v1+json" }],
        configDigest: `sha256:${sha256("sigconfig", repo.arn)}`,
      });
    }
  }
  images.sort((a, b) => b.pushedAt.getTime() - a.pushedAt.getTime());
  return images;
}

/** Bytes stored in a registry: every unique layer once (ECR stores layers deduplicated per repository). */
export function registryStoredBytes(org: SandboxOrganization, accountId: string, region: string): number {
  let total = 0;
  for (const repo of getRepositories(org, accountId, region)) {
    const seen = new Set<string>();
    for (const image of getImages(org, repo)) {
      for (const layer of image.layers) {
        if (seen.has(layer.digest)) continue;
        seen.add(layer.digest);
        total += layer.size;
      }
    }
  }
  return total;
}
