import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsManagedKey, getImages, getRegistry, getRepositories, kmsKeysOf } from "@/lib/sandbox/ecr-model";
import { sandboxOptions } from "@/lib/sandbox/options";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/server";
import { collectRegion, type RegionCollection } from "./collect-region";
import type { RoleSessions } from "./credentials";
import { AwsCallError } from "./errors";
import { sandboxRegionContext, sandboxSessions } from "./testing";

let demo: RunningSandbox;
let faults: RunningSandbox;
let demoSessions: RoleSessions;
let faultSessions: RoleSessions;
const region = "us-east-1";
// Account 1's first registry: ENHANCED, one repository per repository-level flaw, every registry flaw.
let forcedAccount: string;
let forced: RegionCollection;

beforeAll(async () => {
  [demo, faults] = await Promise.all([startSandbox(sandboxOptions("demo", { seed: 21 })), startSandbox(sandboxOptions("faults", { seed: 21 }))]);
  demoSessions = sandboxSessions(demo);
  faultSessions = sandboxSessions(faults);
  forcedAccount = demo.organization.accounts[1].id;
  forced = await collectRegion(sandboxRegionContext(demo, demoSessions, forcedAccount, region));
});
afterAll(async () => {
  demoSessions.destroy();
  faultSessions.destroy();
  await Promise.all([demo.close(), faults.close()]);
});

describe("collectRegion on the demo organisation", () => {
  it("returns exactly the repositories the sandbox generated, with their settings", () => {
    const expected = getRepositories(demo.organization, forcedAccount, region);
    expect(forced.repositories.map((r) => r.repository.name)).toEqual(expected.map((r) => r.name));
    for (const [i, { repository }] of forced.repositories.entries()) {
      const model = expected[i];
      expect(repository).toMatchObject({
        arn: model.arn,
        accountId: forcedAccount,
        region,
        uri: model.uri,
        imageTagMutability: model.imageTagMutability,
        scanOnPush: model.scanOnPush,
        encryptionType: model.encryptionType,
        kmsKey: model.kmsKey ?? null,
        lifecyclePolicy: model.lifecyclePolicyText ?? null,
        repositoryPolicy: model.repositoryPolicyText ?? null,
        tags: model.tags.map((t) => ({ key: t.Key, value: t.Value })),
        errors: {},
      });
      expect(repository.createdAt.getTime()).toBe(model.createdAt.getTime());
      expect(repository.tagMutabilityExclusions).toEqual(model.imageTagMutabilityExclusionFilters ?? null);
    }
    expect(forced.failures).toEqual([]);
    expect(forced.stats.failed).toBe(0);
    expect(forced.stats.calls).toBeGreaterThan(forced.repositories.length * 4);
  });

  it("reads the effective scan frequency of every repository, and the registry's rules, replication and policy", () => {
    const registry = getRegistry(demo.organization, forcedAccount, region);
    const byName = Object.fromEntries(forced.repositories.map((r) => [r.repository.name.split("/").pop(), r.repository]));
    expect(byName["legacy-tools"]).toMatchObject({ scanFrequency: "MANUAL", appliedScanFilters: [] });
    expect(byName["worker"]).toMatchObject({ scanFrequency: "SCAN_ON_PUSH", appliedScanFilters: [{ filter: "worker", filterType: "WILDCARD" }] });
    expect(byName["orders-api"]).toMatchObject({ scanFrequency: "CONTINUOUS_SCAN" });
    expect(forced.registry).toEqual({
      accountId: forcedAccount,
      region,
      scanType: "ENHANCED",
      scanRules: registry.rules,
      registryPolicy: registry.policyText,
      replicationRules: registry.replicationRules.map((r) => ({ destinations: r.destinations, repositoryFilters: r.repositoryFilters ?? [] })),
      errors: {},
    });
  });

  it("gives a repository without a lifecycle policy null, as a fact and not a failure", () => {
    const noLifecycle = forced.repositories.find((r) => r.repository.name.endsWith("/billing-api"))!;
    expect(noLifecycle.repository.lifecyclePolicy).toBeNull();
    expect(noLifecycle.repository.errors).toEqual({});
    expect(forced.failures.filter((f) => f.operation === "GetLifecyclePolicy")).toEqual([]);
  });

  it("returns every image the sandbox generated, with sizes, times, scan summaries and manifest layers", () => {
    for (const { repository, images } of forced.repositories) {
      const model = getImages(demo.organization, getRepositories(demo.organization, forcedAccount, region).find((r) => r.arn === repository.arn)!);
      expect(images!.map((i) => i.digest)).toEqual(model.map((i) => i.digest));
      for (const [j, image] of images!.entries()) {
        const m = model[j];
        expect(image).toMatchObject({
          tags: m.tags,
          sizeBytes: m.sizeInBytes,
          manifestMediaType: m.manifestMediaType,
          artifactMediaType: m.artifactMediaType ?? null,
          scanStatus: m.scan?.status ?? null,
          severityCounts: m.scan ? m.scan.counts : null,
        });
        expect(image.pushedAt.getTime()).toBe(m.pushedAt.getTime());
        expect(image.lastPulledAt?.getTime() ?? null).toBe(m.lastRecordedPullTime?.getTime() ?? null);
        expect(image.scanCompletedAt?.getTime() ?? null).toBe(m.scan?.completedAt?.getTime() ?? null);
        // Signatures are not images: their manifests are not read.
        const isSignature = m.tags.some((t) => t.endsWith(".sig"));
        expect(image.layers?.map((l) => l.digest) ?? null).toEqual(isSignature ? null : m.layers.map((l) => l.digest));
      }
    }
    const bigmodel = forced.repositories.find((r) => r.repository.name.endsWith("/bigmodel-api"))!;
    const latest = bigmodel.images!.find((i) => i.layers);
    expect(latest!.layers!.reduce((s, l) => s + l.size, 0)).toBeGreaterThan(1024 ** 3);
  });

  it("reads the findings of each repository's latest scannable image, matching its severity counts", () => {
    let compared = 0;
    for (const { repository, images, findings } of forced.repositories) {
      const model = getImages(demo.organization, getRepositories(demo.organization, forcedAccount, region).find((r) => r.arn === repository.arn)!);
      const latest = model.find((i) => !i.tags.some((t) => t.endsWith(".sig")))!;
      if (!latest.scan) {
        // Never scanned: no findings call, and nothing recorded as a failure.
        expect(findings).toBeNull();
        expect(images!.find((i) => i.digest === latest.digest)!.scanStatus).toBeNull();
        continue;
      }
      compared += 1;
      expect(findings).toMatchObject({ imageDigest: latest.digest, source: "enhanced", scanStatus: latest.scan.status });
      const bySeverity: Record<string, number> = {};
      for (const f of findings!.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      expect(bySeverity).toEqual(Object.fromEntries(Object.entries(latest.scan.counts).filter(([, n]) => n)));
      for (const f of findings!.findings) {
        expect(f.name).toMatch(/^CVE-\d{4}-\d+$/);
        expect(f.key).toBe(`${f.name}|${f.packageName}|${f.packageVersion}`);
        expect(f.score).toEqual(expect.any(Number));
      }
      expect(new Set(findings!.findings.map((f) => f.key)).size).toBe(findings!.findings.length);
    }
    expect(compared).toBeGreaterThan(5);
  });

  it("describes each distinct KMS key: customer keys with their rotation, the AWS managed key without", () => {
    const [rotated, legacy] = kmsKeysOf(demo.organization, forcedAccount, region);
    const byArn = Object.fromEntries(forced.kmsKeys.map((k) => [k.arn, k]));
    expect(byArn[rotated.arn]).toEqual({ arn: rotated.arn, accountId: forcedAccount, region, keyManager: "CUSTOMER", keyState: "Enabled", rotationEnabled: true, errors: {} });
    expect(byArn[legacy.arn]).toMatchObject({ keyManager: "CUSTOMER", rotationEnabled: false });
    expect(byArn[awsManagedKey(forcedAccount, region).arn]).toMatchObject({ keyManager: "AWS", keyState: "Enabled", rotationEnabled: null });
    const used = new Set(forced.repositories.filter((r) => r.repository.encryptionType !== "AES256").map((r) => r.repository.kmsKey));
    expect(forced.kmsKeys).toHaveLength(used.size);
  });

  it("reads the region's trails, GuardDuty detectors, VPCs, endpoints and Inspector coverage", () => {
    const { services } = forced;
    expect(services.errors).toEqual({});
    expect(services.trails).not.toBeNull();
    for (const t of services.trails!) {
      expect(t.isLogging).toEqual(expect.any(Boolean));
      expect(t.eventSelectors !== null || t.advancedEventSelectors !== null).toBe(true);
    }
    // The forced registry carries the guardduty-enabled flaw: no detector or a disabled one.
    expect(services.guardDutyDetectors!.every((d) => d.status === "DISABLED")).toBe(true);
    expect(services.vpcs!.filter((v) => v.isDefault)).toHaveLength(1);
    expect(services.vpcEndpoints!.every((e) => services.vpcs!.some((v) => v.vpcId === e.vpcId))).toBe(true);
    const coverage = services.inspectorCoverage!;
    expect(Object.keys(coverage).sort()).toEqual(forced.repositories.map((r) => r.repository.name).sort());
    for (const { repository } of forced.repositories) {
      expect(coverage[repository.name]).toBe(repository.scanFrequency === "CONTINUOUS_SCAN" ? "ACTIVE" : "INACTIVE");
    }
  });

  it("reads a BASIC registry's basic findings, and no Inspector coverage", async () => {
    const basic = demo.organization.accounts.find((a) => a.status === "ACTIVE" && getRegistry(demo.organization, a.id, region).scanType === "BASIC")!;
    const collection = await collectRegion(sandboxRegionContext(demo, demoSessions, basic.id, region), { readManifests: false });
    expect(collection.registry.scanType).toBe("BASIC");
    expect(collection.services.inspectorCoverage).toBeNull();
    const withFindings = collection.repositories.filter((r) => r.findings);
    expect(withFindings.length).toBeGreaterThan(0);
    for (const r of withFindings) expect(r.findings!.source).toBe("basic");
    expect(collection.repositories.every((r) => r.images!.every((i) => i.layers === null))).toBe(true);
    expect(collection.failures).toEqual([]);
  });
});

describe("collectRegion on the faults organisation", () => {
  const target = (accountId: string, r = region) => sandboxRegionContext(faults, faultSessions, accountId, r);

  it("records AccessDenied on GetLifecyclePolicy per repository, with the account, region and repository, and carries on", async () => {
    const { accountId } = faults.organization.faults!.accessDenied;
    const collection = await collectRegion(target(accountId));
    expect(collection.repositories.length).toBe(getRepositories(faults.organization, accountId, region).length);
    for (const { repository, images } of collection.repositories) {
      expect(repository.lifecyclePolicy).toBeNull();
      expect(repository.errors.GetLifecyclePolicy).toMatchObject({
        accountId,
        region,
        service: "ecr",
        operation: "GetLifecyclePolicy",
        resource: repository.arn,
        errorName: "AccessDeniedException",
        kind: "access-denied",
      });
      expect(Object.keys(repository.errors)).toEqual(["GetLifecyclePolicy"]);
      expect(images).not.toBeNull();
      expect(repository.tags).not.toBeNull();
    }
    expect(collection.failures.map((f) => f.operation)).toEqual(collection.repositories.map(() => "GetLifecyclePolicy"));
    expect(collection.stats.failed).toBe(collection.repositories.length);
  });

  it("fails the whole target with region-disabled in an opt-in region the account has not enabled", async () => {
    const { accountId, region: disabled } = faults.organization.faults!.disabledRegion;
    const error = await collectRegion(target(accountId, disabled)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).failure).toMatchObject({ accountId, region: disabled, service: "ecr", operation: "DescribeRepositories", errorName: "UnrecognizedClientException", kind: "region-disabled" });
    expect((error as AwsCallError).failure.message).toMatch(/probably not enabled.*The security token included in the request is invalid/);
  });

  it("fails the whole target with access-denied from sts AssumeRole for a missing role or another ExternalId", async () => {
    const { noRoleAccountId, wrongExternalIdAccountId } = faults.organization.faults!;
    for (const accountId of [noRoleAccountId, wrongExternalIdAccountId]) {
      const ctx = target(accountId);
      const error = await collectRegion(ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsCallError);
      expect((error as AwsCallError).failure).toMatchObject({ accountId, service: "sts", operation: "AssumeRole", errorName: "AccessDenied", kind: "access-denied" });
      expect(ctx.stats.calls).toBe(0);
    }
  });

  it("absorbs the injected 500s and latency in healthy accounts: nothing recorded", async () => {
    const { noRoleAccountId, wrongExternalIdAccountId, accessDenied, disabledRegion } = faults.organization.faults!;
    const broken = new Set([noRoleAccountId, wrongExternalIdAccountId, accessDenied.accountId]);
    const targets = faults.organization.accounts
      .filter((a) => a.status === "ACTIVE" && !broken.has(a.id))
      .flatMap((a) => faults.organization.options.regions.map((r) => [a.id, r] as const))
      .filter(([a, r]) => a !== disabledRegion.accountId || r !== disabledRegion.region);
    const injected = () => Object.entries(faults.metrics().errors).reduce((n, [key, count]) => (/:(ServerException|InternalFailure)$/.test(key) ? n + count : n), 0);
    const before = injected();
    const collections = await Promise.all(targets.map(([a, r]) => collectRegion(target(a, r))));
    for (const c of collections) {
      expect(c.failures).toEqual([]);
      expect(c.repositories.length).toBeGreaterThan(0);
    }
    // One request in 101 answers 500: these collections met some, and the SDK's retries absorbed them.
    expect(collections.reduce((n, c) => n + c.stats.calls, 0)).toBeGreaterThan(202);
    expect(injected() - before).toBeGreaterThan(0);
  });
});
