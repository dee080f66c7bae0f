import {
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type Vpc,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRegistry } from "../ecr-model";
import { sandboxOptions } from "../options";
import { type RunningSandbox, startSandbox } from "../server";
import { assumeRole, clientIn } from "../testing";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(sandboxOptions("demo", { seed: 41 }));
});
afterAll(() => sandbox.close());

async function ec2For(accountId: string, region: string) {
  return clientIn(sandbox, EC2Client, accountId, region);
}

async function allVpcs(client: EC2Client, pages: number[] = []) {
  const vpcs: Vpc[] = [];
  for await (const out of paginateDescribeVpcs({ client, pageSize: 5 }, {})) {
    pages.push(out.Vpcs?.length ?? 0);
    vpcs.push(...(out.Vpcs ?? []));
  }
  return vpcs;
}

async function allEndpoints(client: EC2Client, pages: number[] = []) {
  const endpoints: VpcEndpoint[] = [];
  for await (const out of paginateDescribeVpcEndpoints({ client, pageSize: 5 }, {})) {
    pages.push(out.VpcEndpoints?.length ?? 0);
    endpoints.push(...(out.VpcEndpoints ?? []));
  }
  return endpoints;
}

/** CONTROLS.md's vpc-endpoints: some VPC has ecr.api and ecr.dkr interface endpoints with private DNS, and an S3 gateway. */
function hasFullSet(region: string, endpoints: VpcEndpoint[]): boolean {
  const byVpc = new Map<string, VpcEndpoint[]>();
  for (const e of endpoints) byVpc.set(e.VpcId!, [...(byVpc.get(e.VpcId!) ?? []), e]);
  return [...byVpc.values()].some((list) => {
    const ok = (service: string, type: string, dns: boolean) =>
      list.some((e) => e.ServiceName === `com.amazonaws.${region}.${service}` && e.VpcEndpointType === type && e.State?.toLowerCase() === "available" && (!dns || e.PrivateDnsEnabled === true));
    return ok("ecr.api", "Interface", true) && ok("ecr.dkr", "Interface", true) && ok("s3", "Gateway", false);
  });
}

describe("EC2 VPCs and VPC endpoints", () => {
  it("has the full endpoint set in some VPC exactly where the registry lacks the vpc-endpoints flaw, paging every item once", async () => {
    const org = sandbox.organization;
    const outcomes = { flawed: 0, clean: 0, multiPageVpcs: 0, multiPageEndpoints: 0 };
    for (const account of org.accounts.filter((a) => a.status === "ACTIVE")) {
      for (const region of account.regions) {
        const client = await ec2For(account.id, region);
        const vpcPages: number[] = [];
        const endpointPages: number[] = [];
        const vpcs = await allVpcs(client, vpcPages);
        const endpoints = await allEndpoints(client, endpointPages);

        // Paging covers exactly what one unpaged call answers, once each.
        const unpagedVpcs = (await client.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
        const unpagedEndpoints = (await client.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints ?? [];
        expect(vpcs.map((v) => v.VpcId)).toEqual(unpagedVpcs.map((v) => v.VpcId));
        expect(endpoints).toEqual(unpagedEndpoints);
        expect(new Set(vpcs.map((v) => v.VpcId)).size).toBe(vpcs.length);
        expect(new Set(endpoints.map((e) => e.VpcEndpointId)).size).toBe(endpoints.length);
        if (vpcPages.length > 1) outcomes.multiPageVpcs += 1;
        if (endpointPages.length > 1) outcomes.multiPageEndpoints += 1;

        expect(vpcs.filter((v) => v.IsDefault)).toHaveLength(1);
        for (const v of vpcs) expect(v).toMatchObject({ State: "available", OwnerId: account.id, CidrBlock: expect.stringMatching(/^\d+\.\d+\.0\.0\/16$/) });
        const vpcIds = new Set(vpcs.map((v) => v.VpcId));
        for (const e of endpoints) {
          expect(vpcIds.has(e.VpcId)).toBe(true);
          expect(e.CreationTimestamp).toBeInstanceOf(Date);
          expect(e.CreationTimestamp!.getTime()).toBeLessThanOrEqual(org.now.getTime());
          expect(e.ServiceName).toMatch(new RegExp(`^com\\.amazonaws\\.${region}\\.(ecr\\.api|ecr\\.dkr|s3)$`));
          expect(typeof e.PrivateDnsEnabled).toBe("boolean");
        }

        const flaw = getRegistry(org, account.id, region).flaws.includes("vpc-endpoints");
        expect({ account: account.id, region, full: hasFullSet(region, endpoints) }).toEqual({ account: account.id, region, full: !flaw });
        if (flaw) {
          outcomes.flawed += 1;
          expect(vpcs.length).toBeGreaterThan(0);
        } else outcomes.clean += 1;
      }
    }
    expect(outcomes.flawed).toBeGreaterThan(0);
    expect(outcomes.clean).toBeGreaterThan(0);
    expect(outcomes.multiPageVpcs).toBeGreaterThan(0);
    expect(outcomes.multiPageEndpoints).toBeGreaterThan(0);
  });

  it("filters by vpc-id and service-name (with wildcards), and VPCs by id and is-default", async () => {
    const account = sandbox.organization.accounts[0];
    const region = account.regions[0];
    const client = await ec2For(account.id, region);
    const endpoints = await allEndpoints(client);
    const vpcId = endpoints[0].VpcId!;
    const inVpc = (await client.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).VpcEndpoints ?? [];
    expect(inVpc).toEqual(endpoints.filter((e) => e.VpcId === vpcId));

    const ecr = (await client.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "service-name", Values: [`com.amazonaws.${region}.ecr.api`, "com.amazonaws.*.ecr.dkr"] }] }))).VpcEndpoints ?? [];
    expect(ecr).toEqual(endpoints.filter((e) => /\.ecr\.(api|dkr)$/.test(e.ServiceName!)));
    const both = await client.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, { Name: "service-name", Values: [`com.amazonaws.${region}.s3`] }] }),
    );
    expect(both.VpcEndpoints).toEqual(endpoints.filter((e) => e.VpcId === vpcId && e.ServiceName === `com.amazonaws.${region}.s3`));

    const byId = await client.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(byId.Vpcs!.map((v) => v.VpcId)).toEqual([vpcId]);
    const defaults = await client.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }));
    expect(defaults.Vpcs!.map((v) => v.IsDefault)).toEqual([true]);
    const named = (await client.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["*-core"] }] }))).Vpcs ?? [];
    expect(named.map((v) => v.Tags?.find((t) => t.Key === "Name")?.Value)).toEqual([`${account.environment}-core`]);
  });

  it("answers EC2's error codes for bad MaxResults, NextToken, filters, ids and DryRun", async () => {
    const account = sandbox.organization.accounts[0];
    const client = await ec2For(account.id, account.regions[0]);
    await expect(client.send(new DescribeVpcsCommand({ MaxResults: 4 }))).rejects.toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("maxResults") });
    await expect(client.send(new DescribeVpcEndpointsCommand({ MaxResults: 1001 }))).rejects.toMatchObject({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new DescribeVpcEndpointsCommand({ NextToken: "bm9wZQ==" }))).rejects.toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("NextToken") });
    // A token from one listing is refused by another (and by the same listing in another account).
    let token: string | undefined;
    for (const other of sandbox.organization.accounts.filter((a) => a.status === "ACTIVE")) {
      const otherClient = await ec2For(other.id, account.regions[0]);
      token = (await otherClient.send(new DescribeVpcEndpointsCommand({ MaxResults: 5 }))).NextToken;
      if (token) {
        await expect(otherClient.send(new DescribeVpcsCommand({ NextToken: token }))).rejects.toMatchObject({ name: "InvalidParameterValue" });
        if (other.id !== account.id) await expect(client.send(new DescribeVpcEndpointsCommand({ MaxResults: 5, NextToken: token }))).rejects.toMatchObject({ name: "InvalidParameterValue" });
        break;
      }
    }
    expect(token).toBeTruthy();
    await expect(client.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "colour", Values: ["blue"] }] }))).rejects.toMatchObject({ name: "InvalidParameterValue", message: expect.stringContaining("colour") });
    await expect(client.send(new DescribeVpcsCommand({ VpcIds: ["vpc-0123456789abcdef0"] }))).rejects.toMatchObject({ name: "InvalidVpcID.NotFound" });
    await expect(client.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ["vpce-0123456789abcdef0"] }))).rejects.toMatchObject({ name: "InvalidVpcEndpointId.NotFound" });
    await expect(client.send(new DescribeVpcsCommand({ DryRun: true }))).rejects.toMatchObject({ name: "DryRunOperation", $metadata: { httpStatusCode: 412 } });
  });

  it("answers the same XML for the same seed (apart from the request id)", async () => {
    const again = await startSandbox(sandboxOptions("demo", { seed: 41 }));
    try {
      const account = sandbox.organization.accounts[3];
      const region = account.regions[1];
      const c = await assumeRole(sandbox, account.id);
      const raw = async (target: RunningSandbox, action: string) => {
        const res = await fetch(target.url, {
          method: "POST",
          headers: {
            // The sandbox reads the SigV4 scope but does not verify the signature.
            authorization: `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/20261101/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
            "x-amz-security-token": c.sessionToken!,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: `Action=${action}&Version=2016-11-15`,
        });
        expect(res.status).toBe(200);
        return (await res.text()).replace(/<requestId>[^<]*<\/requestId>/, "");
      };
      for (const action of ["DescribeVpcs", "DescribeVpcEndpoints"]) {
        const first = await raw(sandbox, action);
        expect(first).toContain(`<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`);
        expect(await raw(again, action)).toBe(first);
      }
    } finally {
      await again.close();
    }
  });
});
