import {
  BatchGetImageCommand,
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
} from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getImages, getRegistry, getRepositories } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { assumeRole, type AwsCredentials, clientConfig } from "../testing";

let sandbox: RunningSandbox;
let faults: RunningSandbox;
let ecr: ECRClient;
let accountId: string;
const region = "us-east-1";

beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 11 }));
  faults = await startSandbox(sandboxOptions("faults", { seed: 11 }));
  // Account 1's first registry carries one repository per repository-level flaw.
  accountId = sandbox.organization.accounts[1].id;
  ecr = new ECRClient(clientConfig(sandbox, region, await assumeRole(sandbox, accountId)));
});
afterAll(async () => {
  await sandbox.close();
  await faults.close();
});

async function allRepositories(client: ECRClient) {
  const names: string[] = [];
  for await (const out of paginateDescribeRepositories({ client, pageSize: 5 }, {})) {
    for (const repo of out.repositories ?? []) {
      expect(repo.createdAt).toBeInstanceOf(Date);
      names.push(repo.repositoryName!);
    }
  }
  return names;
}

describe("ECR repositories and registry", () => {
  it("pages through every repository exactly once, as the model generated them", async () => {
    const names = await allRepositories(ecr);
    const expected = getRepositories(sandbox.organization, accountId, region).map((r) => r.name);
    expect(names).toEqual(expected);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(14);
  });

  it("answers each repository's configuration: tag mutability, encryption, scanning, policies, tags", async () => {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ["payments/media-api", "payments/auth-api"].map((n) => n.replace("payments", sandbox.organization.accounts[1].name.split("-")[0])) }));
    const [aes, awsManaged] = repositories!;
    expect(aes.encryptionConfiguration).toEqual({ encryptionType: "AES256" });
    expect(awsManaged.encryptionConfiguration?.encryptionType).toBe("KMS");
    expect(awsManaged.encryptionConfiguration?.kmsKey).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${accountId}:key/`));

    const team = sandbox.organization.accounts[1].name.split("-")[0];
    const { repositories: found } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [`${team}/orders-api`] }));
    expect(["MUTABLE", "MUTABLE_WITH_EXCLUSION"]).toContain(found![0].imageTagMutability);

    await expect(ecr.send(new GetLifecyclePolicyCommand({ repositoryName: `${team}/billing-api` }))).rejects.toMatchObject({ name: "LifecyclePolicyNotFoundException" });
    const weak = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: `${team}/reports-api` }));
    expect(JSON.parse(weak.lifecyclePolicyText!).rules[0].selection.tagPatternList).toEqual(["release-*"]);
    expect(weak.lastEvaluatedAt).toBeInstanceOf(Date);

    const publicPolicy = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: `${team}/public-api` }));
    expect(JSON.parse(publicPolicy.policyText!).Statement[0].Principal).toBe("*");
    const tags = await ecr.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:ecr:${region}:${accountId}:repository/${team}/public-api` }));
    expect(tags.tags).toContainEqual({ Key: "environment", Value: sandbox.organization.accounts[1].environment });
  });

  it("applies the registry's WILDCARD scan rules, 25 names a call, with a MANUAL repository where no rule matches", async () => {
    const names = await allRepositories(ecr);
    const team = sandbox.organization.accounts[1].name.split("-")[0];
    const { scanningConfigurations, failures } = await ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: [...names.slice(0, 24), "no-such-repo"] }));
    expect(failures).toEqual([{ repositoryName: "no-such-repo", failureCode: "REPOSITORY_NOT_FOUND", failureReason: "REPOSITORY_NOT_FOUND" }]);
    const byName = Object.fromEntries(scanningConfigurations!.map((c) => [c.repositoryName, c]));
    expect(byName[`${team}/legacy-tools`]).toMatchObject({ scanFrequency: "MANUAL", appliedScanFilters: [] });
    expect(byName[`${team}/worker`]).toMatchObject({ scanFrequency: "SCAN_ON_PUSH", appliedScanFilters: [{ filter: "worker", filterType: "WILDCARD" }] });
    expect(byName[`${team}/orders-api`]).toMatchObject({ scanFrequency: "CONTINUOUS_SCAN", appliedScanFilters: [{ filter: "*api*", filterType: "WILDCARD" }] });
    await expect(ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: names.slice(0, 26).concat(Array(26).fill("x1")).slice(0, 26) }))).rejects.toMatchObject({ name: "ValidationException" });

    const registry = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(registry.scanningConfiguration?.scanType).toBe("ENHANCED");
    const replication = await ecr.send(new DescribeRegistryCommand({}));
    expect(replication.replicationConfiguration?.rules?.[0].destinations).toEqual([{ region: "eu-west-1", registryId: accountId }]);
    const policy = await ecr.send(new GetRegistryPolicyCommand({}));
    expect(JSON.parse(policy.policyText!).Statement[0].Principal).toEqual({ AWS: "*" });
    const ptc = await ecr.send(new DescribePullThroughCacheRulesCommand({}));
    expect(Array.isArray(ptc.pullThroughCacheRules)).toBe(true);
    expect(await ecr.send(new GetAccountSettingCommand({ name: "BASIC_SCAN_TYPE_VERSION" }))).toMatchObject({ name: "BASIC_SCAN_TYPE_VERSION", value: "AWS_NATIVE" });
  });

  it("says which registry has no policy as a named exception, not an empty answer", async () => {
    const clean = sandbox.organization.accounts.find((a, i) => i !== 1 && !getRegistry(sandbox.organization, a.id, region).policyText)!;
    const client = new ECRClient(clientConfig(sandbox, region, await assumeRole(sandbox, clean.id)));
    await expect(client.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({ name: "RegistryPolicyNotFoundException" });
  });
});

describe("ECR images and findings", () => {
  it("pages through every image of a repository with Dates, scan summaries and pull times", async () => {
    const repo = getRepositories(sandbox.organization, accountId, region).find((r) => r.name.endsWith("/inventory-api"))!;
    const digests: string[] = [];
    for await (const out of paginateDescribeImages({ client: ecr, pageSize: 7 }, { repositoryName: repo.name })) {
      for (const image of out.imageDetails ?? []) {
        expect(image.imagePushedAt).toBeInstanceOf(Date);
        digests.push(image.imageDigest!);
      }
    }
    expect(digests).toEqual(getImages(sandbox.organization, repo).map((i) => i.digest));
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: repo.name, imageIds: [{ imageTag: "latest" }] }));
    const latest = imageDetails![0];
    expect(latest.imageScanStatus?.status).toBe("ACTIVE");
    expect(latest.imageScanFindingsSummary?.findingSeverityCounts?.CRITICAL).toBeGreaterThan(0);
    expect(latest.imageScanFindingsSummary?.imageScanCompletedAt).toBeInstanceOf(Date);
  });

  it("gives enhanced findings in an ENHANCED registry, paged, matching the severity counts", async () => {
    const repo = getRepositories(sandbox.organization, accountId, region).find((r) => r.name.endsWith("/inventory-api"))!;
    // The newest artifact may be a cosign signature, which is never scanned.
    const [latest] = getImages(sandbox.organization, repo).filter((i) => !i.tags.some((t) => t.endsWith(".sig")));
    const found: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: repo.name, imageId: { imageDigest: latest.digest }, maxResults: 3, nextToken }));
      for (const finding of out.imageScanFindings?.enhancedFindings ?? []) {
        expect(finding.firstObservedAt).toBeInstanceOf(Date);
        expect(finding.packageVulnerabilityDetails?.vulnerabilityId).toMatch(/^CVE-\d{4}-\d+$/);
        found.push(finding.severity!);
      }
      nextToken = out.nextToken;
    } while (nextToken);
    const counts = latest.scan!.counts;
    expect(found.filter((s) => s === "CRITICAL")).toHaveLength(counts.CRITICAL ?? 0);
    expect(found).toHaveLength(Object.values(counts).reduce((a, b) => a + (b ?? 0), 0));
  });

  it("gives basic findings, with CVE names and package attributes, in a BASIC registry", async () => {
    const org = sandbox.organization;
    // The first BASIC registry with a scanned image that has findings.
    let target: { account: string; repo: ReturnType<typeof getRepositories>[number]; image: ReturnType<typeof getImages>[number] } | undefined;
    for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
      if (getRegistry(org, account.id, region).scanType !== "BASIC") continue;
      for (const repo of getRepositories(org, account.id, region)) {
        const image = getImages(org, repo).find((i) => i.scan && Object.values(i.scan.counts).some((n) => (n ?? 0) > 0));
        if (image) {
          target = { account: account.id, repo, image };
          break;
        }
      }
      if (target) break;
    }
    expect(target).toBeDefined();
    const client = new ECRClient(clientConfig(sandbox, region, await assumeRole(sandbox, target!.account)));
    const out = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: target!.repo.name, imageId: { imageDigest: target!.image.digest } }));
    expect(out.imageScanStatus?.status).toBe("COMPLETE");
    expect(out.imageScanFindings?.enhancedFindings).toBeUndefined();
    const findings = out.imageScanFindings!.findings!;
    expect(findings.length).toBe(Object.values(target!.image.scan!.counts).reduce((a, b) => a + (b ?? 0), 0));
    expect(findings[0].name).toMatch(/^CVE-\d{4}-\d+$/);
    expect(findings[0].attributes?.map((a) => a.key)).toContain("package_name");
  });

  it("answers ScanNotFoundException for an image that was never scanned", async () => {
    const repo = getRepositories(sandbox.organization, accountId, region).find((r) => r.name.endsWith("/legacy-tools"))!;
    const [latest] = getImages(sandbox.organization, repo);
    await expect(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: repo.name, imageId: { imageDigest: latest.digest } }))).rejects.toMatchObject({ name: "ScanNotFoundException" });
  });

  it("returns manifests whose layers add up to the image size", async () => {
    const repo = getRepositories(sandbox.organization, accountId, region).find((r) => r.name.endsWith("/bigmodel-api"))!;
    const [latest] = getImages(sandbox.organization, repo).filter((i) => !i.tags.some((t) => t.endsWith(".sig")));
    const { images, failures } = await ecr.send(new BatchGetImageCommand({ repositoryName: repo.name, imageIds: [{ imageDigest: latest.digest }, { imageDigest: "sha256:" + "0".repeat(64) }] }));
    expect(failures).toHaveLength(1);
    const manifest = JSON.parse(images![0].imageManifest!) as { layers: { size: number }[] };
    const layerBytes = manifest.layers.reduce((s, l) => s + l.size, 0);
    expect(layerBytes).toBeGreaterThan(1024 ** 3);
    expect(Math.abs(layerBytes - latest.sizeInBytes)).toBeLessThan(10_000);
  });
});

describe("ECR answers bad input and faults as AWS does", () => {
  it("validates maxResults, nextToken and repository names", async () => {
    await expect(ecr.send(new DescribeRepositoriesCommand({ maxResults: 0 }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(ecr.send(new DescribeRepositoriesCommand({ maxResults: 1001 }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(ecr.send(new DescribeRepositoriesCommand({ nextToken: "not-a-token" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(ecr.send(new DescribeImagesCommand({ repositoryName: "Bad Name!" }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(ecr.send(new DescribeImagesCommand({ repositoryName: "does-not-exist" }))).rejects.toMatchObject({ name: "RepositoryNotFoundException" });
  });

  it("answers an unknown operation with UnknownOperationException", async () => {
    const response = await fetch(sandbox.url, {
      method: "POST",
      headers: {
        "X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.DeleteRepository",
        "Content-Type": "application/x-amz-json-1.1",
        Authorization: "AWS4-HMAC-SHA256 Credential=AKIAPORTWATCHSANDBOX/20261101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "{}",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
  });

  it("in the faults profile: AccessDenied on one operation in one account, and a disabled opt-in region", async () => {
    const { accessDenied, disabledRegion } = faults.organization.faults!;
    const denied = new ECRClient(clientConfig(faults, region, await assumeRole(faults, accessDenied.accountId)));
    const [repo] = getRepositories(faults.organization, accessDenied.accountId, region);
    await expect(denied.send(new GetLifecyclePolicyCommand({ repositoryName: repo.name }))).rejects.toMatchObject({ name: "AccessDeniedException" });
    await expect(denied.send(new DescribeRepositoriesCommand({ maxResults: 1 }))).resolves.toBeDefined();

    const credentials: AwsCredentials = await assumeRole(faults, disabledRegion.accountId);
    const optIn = new ECRClient(clientConfig(faults, disabledRegion.region, credentials));
    await expect(optIn.send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({ name: "UnrecognizedClientException" });
  });
});

describe("determinism", () => {
  it("the same seed answers byte-identically; another seed differs", async () => {
    const again = await startSandbox(sandboxOptions("demo", { seed: 11 }));
    const other = await startSandbox(sandboxOptions("demo", { seed: 12 }));
    try {
      const body = async (s: RunningSandbox) => {
        const account = s.organization.accounts[2].id;
        const client = new ECRClient(clientConfig(s, region, await assumeRole(s, account)));
        const { repositories } = await client.send(new DescribeRepositoriesCommand({}));
        const images = await client.send(new DescribeImagesCommand({ repositoryName: repositories![0].repositoryName! }));
        const strip = ({ $metadata: _m, ...rest }: { $metadata: unknown }) => rest;
        return JSON.stringify([strip(images), repositories]);
      };
      const [a, b, c] = await Promise.all([body(sandbox), body(again), body(other)]);
      expect(a).toBe(b);
      expect(a).not.toBe(c);
    } finally {
      await again.close();
      await other.close();
    }
  });
});
