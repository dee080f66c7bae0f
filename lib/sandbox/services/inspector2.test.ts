import {
  BatchGetAccountStatusCommand,
  type CoveredResource,
  type Finding,
  Inspector2Client,
  ListCoverageCommand,
  ListFindingsCommand,
  type ListFindingsCommandInput,
  paginateListCoverage,
  paginateListFindings,
} from "@aws-sdk/client-inspector2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectiveScan, getImages, getRegistry, getRepositories } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { assumeRole, type AwsCredentials, clientIn } from "../testing";
import { enhancedFindings } from "./findings";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 61 }));
});
afterAll(() => sandbox.close());

async function inspector(accountId: string, region: string) {
  return clientIn(sandbox, Inspector2Client, accountId, region);
}

async function listFindings(client: Inspector2Client, input: ListFindingsCommandInput = {}, pageSize = 100) {
  const out: Finding[] = [];
  for await (const p of paginateListFindings({ client, pageSize }, input)) out.push(...(p.findings ?? []));
  return out;
}

async function listCoverage(client: Inspector2Client) {
  const out: CoveredResource[] = [];
  for await (const p of paginateListCoverage({ client, pageSize: 37 }, {})) out.push(...(p.coveredResources ?? []));
  return out;
}

/** The enhanced findings ECR reports for the registry, in the model's order. */
function expectedFindingArns(accountId: string, region: string): string[] {
  const org = sandbox.organization;
  return getRepositories(org, accountId, region).flatMap((repo) => getImages(org, repo).flatMap((image) => (image.scan ? enhancedFindings(org, repo, image).map((f) => f.findingArn) : [])));
}

/** The ENHANCED registry with the most findings, for the filter and error tests. */
function busiestEnhancedRegistry() {
  const org = sandbox.organization;
  const registries = org.accounts
    .filter((a) => a.status === "ACTIVE")
    .flatMap((a) => a.regions.map((region) => ({ accountId: a.id, region })))
    .filter((r) => getRegistry(org, r.accountId, r.region).scanType === "ENHANCED");
  return registries.map((r) => ({ ...r, count: expectedFindingArns(r.accountId, r.region).length })).sort((a, b) => b.count - a.count)[0];
}

describe("Inspector2", () => {
  it("enables ECR scanning, findings and coverage exactly for ENHANCED registries, paging every item once", async () => {
    const org = sandbox.organization;
    const seen = { enhanced: 0, basic: 0, findings: 0 };
    for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
      for (const region of account.regions) {
        const client = await inspector(account.id, region);
        const registry = getRegistry(org, account.id, region);
        const enhanced = registry.scanType === "ENHANCED";

        const status = await client.send(new BatchGetAccountStatusCommand({}));
        expect(status.failedAccounts).toEqual([]);
        expect(status.accounts).toHaveLength(1);
        expect(status.accounts![0].accountId).toBe(account.id);
        expect(status.accounts![0].resourceState!.ecr!.status).toBe(enhanced ? "ENABLED" : "DISABLED");
        if (enhanced) expect(status.accounts![0].state!.status).toBe("ENABLED");

        const findings = await listFindings(client);
        expect(findings.map((f) => f.findingArn)).toEqual(enhanced ? expectedFindingArns(account.id, region) : []);
        for (const f of findings) {
          expect(f.awsAccountId).toBe(account.id);
          expect(f.firstObservedAt).toBeInstanceOf(Date);
          expect(f.lastObservedAt).toBeInstanceOf(Date);
          expect(f.updatedAt).toBeInstanceOf(Date);
          expect(f.firstObservedAt!.getTime()).toBeLessThanOrEqual(f.lastObservedAt!.getTime());
          const image = f.resources![0].details!.awsEcrContainerImage!;
          expect(image.pushedAt).toBeInstanceOf(Date);
          expect(f.resources![0]).toMatchObject({ type: "AWS_ECR_CONTAINER_IMAGE", region, id: `arn:aws:ecr:${region}:${account.id}:repository/${image.repositoryName}/${image.imageHash}` });
          expect(["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"]).toContain(f.severity);
          expect(f.packageVulnerabilityDetails!.vulnerabilityId).toMatch(/^CVE-\d{4}-\d+$/);
          expect(f.inspectorScore).toBeTypeOf("number");
        }

        const coverage = await listCoverage(client);
        const repos = enhanced ? getRepositories(org, account.id, region) : [];
        expect(coverage.filter((c) => c.resourceType === "AWS_ECR_REPOSITORY").map((c) => c.resourceMetadata!.ecrRepository!.name)).toEqual(repos.map((r) => r.name));
        expect(coverage.filter((c) => c.resourceType === "AWS_ECR_CONTAINER_IMAGE")).toHaveLength(repos.reduce((n, r) => n + getImages(org, r).length, 0));
        expect(new Set(coverage.map((c) => c.resourceId)).size).toBe(coverage.length);
        for (const repo of repos) {
          const entry = coverage.find((c) => c.resourceId === repo.arn)!;
          const { frequency } = effectiveScan(registry, repo);
          expect(entry).toMatchObject({ accountId: account.id, scanType: "PACKAGE", resourceMetadata: { ecrRepository: { name: repo.name, scanFrequency: frequency } } });
          // Continuous scanning is what Inspector reports as ACTIVE; anything else is INACTIVE with the reason.
          expect(entry.scanStatus!.statusCode).toBe(frequency === "CONTINUOUS_SCAN" ? "ACTIVE" : "INACTIVE");
        }
        for (const c of coverage.filter((x) => x.lastScannedAt !== undefined)) expect(c.lastScannedAt).toBeInstanceOf(Date);

        if (enhanced) seen.enhanced += 1;
        else seen.basic += 1;
        seen.findings += findings.length;
      }
    }
    expect(seen.enhanced).toBeGreaterThan(0);
    expect(seen.basic).toBeGreaterThan(0);
    expect(seen.findings).toBeGreaterThan(100);
  });

  it("filters findings by repository name, image digest and account, and sorts them", async () => {
    const { accountId, region } = busiestEnhancedRegistry();
    const client = await inspector(accountId, region);
    const all = await listFindings(client);
    const sample = all[Math.floor(all.length / 2)];
    const image = sample.resources![0].details!.awsEcrContainerImage!;

    const byRepo = await listFindings(client, { filterCriteria: { ecrImageRepositoryName: [{ comparison: "EQUALS", value: image.repositoryName }] } }, 10);
    expect(byRepo.map((f) => f.findingArn)).toEqual(all.filter((f) => f.resources![0].details!.awsEcrContainerImage!.repositoryName === image.repositoryName).map((f) => f.findingArn));

    const byImage = await listFindings(client, {
      filterCriteria: { ecrImageHash: [{ comparison: "EQUALS", value: image.imageHash! }], awsAccountId: [{ comparison: "EQUALS", value: accountId }] },
    });
    expect(byImage.length).toBeGreaterThan(0);
    expect(byImage.map((f) => f.findingArn)).toEqual(all.filter((f) => f.resources![0].details!.awsEcrContainerImage!.imageHash === image.imageHash).map((f) => f.findingArn));

    expect(await listFindings(client, { filterCriteria: { awsAccountId: [{ comparison: "EQUALS", value: "999988887777" }] } })).toEqual([]);
    const notCritical = await listFindings(client, { filterCriteria: { severity: [{ comparison: "NOT_EQUALS", value: "CRITICAL" }] } });
    expect(notCritical.length).toBe(all.filter((f) => f.severity !== "CRITICAL").length);

    const rank = ["INFORMATIONAL", "UNTRIAGED", "LOW", "MEDIUM", "HIGH", "CRITICAL"];
    const sorted = await listFindings(client, { sortCriteria: { field: "SEVERITY", sortOrder: "DESC" } }, 50);
    expect(sorted).toHaveLength(all.length);
    expect(sorted.map((f) => rank.indexOf(f.severity!))).toEqual([...all.map((f) => rank.indexOf(f.severity!))].sort((a, b) => b - a));
  });

  it("validates maxResults, nextToken, filters and account ids with ValidationException", async () => {
    const { accountId, region } = busiestEnhancedRegistry();
    const client = await inspector(accountId, region);
    await expect(client.send(new ListFindingsCommand({ maxResults: 101 }))).rejects.toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 }, message: expect.stringContaining("maxResults") });
    await expect(client.send(new ListFindingsCommand({ maxResults: 0 }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(client.send(new ListCoverageCommand({ maxResults: 201 }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("maxResults") });
    await expect(client.send(new ListFindingsCommand({ nextToken: "bm9wZQ==" }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("nextToken") });
    // A token is bound to the filters it was issued for.
    const first = await client.send(new ListFindingsCommand({ maxResults: 5 }));
    expect(first.nextToken).toBeTruthy();
    await expect(client.send(new ListFindingsCommand({ maxResults: 5, nextToken: first.nextToken, filterCriteria: { severity: [{ comparison: "EQUALS", value: "HIGH" }] } }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(
      client.send(new ListFindingsCommand({ filterCriteria: { ecrImageHash: [{ comparison: "LIKE" as "EQUALS", value: "sha256:x" }] } })),
    ).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("filterCriteria.ecrImageHash.1.member.comparison") });
    await expect(client.send(new ListFindingsCommand({ filterCriteria: { ecrImageRepositoryName: [] } }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(client.send(new ListFindingsCommand({ sortCriteria: { field: "COLOUR" as "SEVERITY", sortOrder: "ASC" } }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(client.send(new ListCoverageCommand({ filterCriteria: { scanStatusCode: [{ comparison: "PREFIX" as "EQUALS", value: "ACT" }] } }))).rejects.toMatchObject({ name: "ValidationException" });
    await expect(client.send(new BatchGetAccountStatusCommand({ accountIds: ["12345"] }))).rejects.toMatchObject({ name: "ValidationException", message: expect.stringContaining("accountIds") });

    const mixed = await client.send(new BatchGetAccountStatusCommand({ accountIds: [accountId, "999988887777"] }));
    expect(mixed.accounts!.map((a) => a.accountId)).toEqual([accountId]);
    expect(mixed.failedAccounts).toEqual([expect.objectContaining({ accountId: "999988887777", errorCode: "ACCESS_DENIED" })]);
  });

  it("filters coverage by status and resource type", async () => {
    const { accountId, region } = busiestEnhancedRegistry();
    const client = await inspector(accountId, region);
    const all = await listCoverage(client);
    const active = await client.send(
      new ListCoverageCommand({ maxResults: 200, filterCriteria: { scanStatusCode: [{ comparison: "EQUALS", value: "ACTIVE" }], resourceType: [{ comparison: "EQUALS", value: "AWS_ECR_REPOSITORY" }] } }),
    );
    expect(active.coveredResources!.map((c) => c.resourceId)).toEqual(all.filter((c) => c.scanStatus!.statusCode === "ACTIVE" && c.resourceType === "AWS_ECR_REPOSITORY").map((c) => c.resourceId));
    expect(active.coveredResources!.length).toBeGreaterThan(0);
  });

  it("answers byte-identical JSON for the same seed", async () => {
    const { accountId, region } = busiestEnhancedRegistry();
    const again = await startSandbox(sandboxOptions("demo", { seed: 61 }));
    try {
      const credentials = await assumeRole(sandbox, accountId);
      // The sandbox reads the SigV4 scope but does not verify the signature, so a raw request shows the exact bytes.
      const raw = async (target: RunningSandbox, path: string, body: unknown, c: AwsCredentials) => {
        const res = await fetch(`${target.url}${path}`, {
          method: "POST",
          headers: {
            authorization: `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/20261101/${region}/inspector2/aws4_request, SignedHeaders=host, Signature=0`,
            "x-amz-security-token": c.sessionToken!,
            "content-type": "application/json",
          },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        return res.text();
      };
      for (const [path, body] of [["/findings/list", { maxResults: 100 }], ["/coverage/list", {}], ["/status/batch/get", {}]] as const) {
        const first = await raw(sandbox, path, body, credentials);
        expect(await raw(again, path, body, credentials)).toBe(first);
        expect(first.length).toBeGreaterThan(50);
      }
    } finally {
      await again.close();
    }
  });
});
