import { type CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type Trail } from "@aws-sdk/client-cloudtrail";
import { DescribeVpcEndpointsCommand, DescribeVpcsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { GetDetectorCommand, type GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import { type Inspector2Client, ListCoverageCommand } from "@aws-sdk/client-inspector2";
import { callAws, type RegionContext, tryCall } from "./clients";
import type { FailureMap, GuardDutyDetectorRecord, RegionServicesRecord, TrailRecord, VpcEndpointRecord, VpcRecord } from "./types";

/**
 * The non-ECR facts of one account x region that registry-scoped checks need: CloudTrail trails
 * (trail-logging), GuardDuty detectors (guardduty-enabled), VPCs and their endpoints
 * (vpc-endpoints), and Inspector's coverage of ECR repositories (continuous-scanning). Each
 * failure leaves its field null and is recorded.
 */

export interface RegionServiceClients {
  cloudtrail: CloudTrailClient;
  guardduty: GuardDutyClient;
  ec2: EC2Client;
  inspector: Inspector2Client;
}

async function collectTrail(ctx: RegionContext, cloudtrail: CloudTrailClient, trail: Trail, errors: FailureMap): Promise<TrailRecord | null> {
  if (!trail.TrailARN || !trail.Name) return null;
  // By ARN: a name finds only trails homed in this region, an ARN finds shadow trails too.
  const arn = trail.TrailARN;
  const [status, selectors] = await Promise.all([
    tryCall(ctx, errors, () => callAws(ctx, "cloudtrail", "GetTrailStatus", arn, (o) => cloudtrail.send(new GetTrailStatusCommand({ Name: arn }), o))),
    tryCall(ctx, errors, () => callAws(ctx, "cloudtrail", "GetEventSelectors", arn, (o) => cloudtrail.send(new GetEventSelectorsCommand({ TrailName: arn }), o))),
  ]);
  return {
    arn,
    name: trail.Name,
    homeRegion: trail.HomeRegion ?? ctx.region,
    multiRegion: trail.IsMultiRegionTrail ?? false,
    organizationTrail: trail.IsOrganizationTrail ?? false,
    isLogging: status?.IsLogging ?? null,
    eventSelectors: selectors?.EventSelectors
      ? selectors.EventSelectors.map((s) => ({ readWriteType: s.ReadWriteType ?? "All", includeManagementEvents: s.IncludeManagementEvents ?? true }))
      : null,
    advancedEventSelectors: selectors?.AdvancedEventSelectors
      ? selectors.AdvancedEventSelectors.map((s) => ({ name: s.Name ?? null, fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
          field: f.Field ?? "",
          equals: f.Equals ?? [],
          notEquals: f.NotEquals ?? [],
          startsWith: f.StartsWith ?? [],
          notStartsWith: f.NotStartsWith ?? [],
          endsWith: f.EndsWith ?? [],
          notEndsWith: f.NotEndsWith ?? [],
        })) }))
      : null,
  };
}

async function collectTrails(ctx: RegionContext, cloudtrail: CloudTrailClient, errors: FailureMap): Promise<TrailRecord[] | null> {
  const described = await tryCall(ctx, errors, () =>
    callAws(ctx, "cloudtrail", "DescribeTrails", undefined, (o) => cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }), o)),
  );
  if (!described) return null;
  const trails = await Promise.all((described.trailList ?? []).map((t) => collectTrail(ctx, cloudtrail, t, errors)));
  return trails.filter((t): t is TrailRecord => t !== null);
}

async function collectDetectors(ctx: RegionContext, guardduty: GuardDutyClient, errors: FailureMap): Promise<GuardDutyDetectorRecord[] | null> {
  const ids = await tryCall(ctx, errors, async () => {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(ctx, "guardduty", "ListDetectors", undefined, (o) => guardduty.send(new ListDetectorsCommand({ MaxResults: 50, NextToken: nextToken }), o));
      out.push(...(page.DetectorIds ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  });
  if (!ids) return null;
  const detectors = await Promise.all(
    ids.map((detectorId) =>
      tryCall(ctx, errors, () => callAws(ctx, "guardduty", "GetDetector", detectorId, (o) => guardduty.send(new GetDetectorCommand({ DetectorId: detectorId }), o))).then(
        (d) => (d?.Status ? { detectorId, status: d.Status } : null),
      ),
    ),
  );
  // A detector whose status could not be read leaves the whole answer unknown (see errors).
  return detectors.every((d) => d !== null) ? detectors : null;
}

async function collectVpcs(ctx: RegionContext, ec2: EC2Client, errors: FailureMap): Promise<VpcRecord[] | null> {
  const vpcs = await tryCall(ctx, errors, async () => {
    const out: VpcRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(ctx, "ec2", "DescribeVpcs", undefined, (o) => ec2.send(new DescribeVpcsCommand({ MaxResults: 1000, NextToken: nextToken }), o));
      for (const v of page.Vpcs ?? []) if (v.VpcId) out.push({ vpcId: v.VpcId, isDefault: v.IsDefault ?? false });
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  });
  return vpcs ?? null;
}

async function collectVpcEndpoints(ctx: RegionContext, ec2: EC2Client, errors: FailureMap): Promise<VpcEndpointRecord[] | null> {
  const endpoints = await tryCall(ctx, errors, async () => {
    const out: VpcEndpointRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws(ctx, "ec2", "DescribeVpcEndpoints", undefined, (o) => ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: 1000, NextToken: nextToken }), o));
      for (const e of page.VpcEndpoints ?? []) {
        if (!e.VpcEndpointId) continue;
        out.push({
          vpcEndpointId: e.VpcEndpointId,
          vpcId: e.VpcId ?? "",
          serviceName: e.ServiceName ?? "",
          type: e.VpcEndpointType ?? "",
          state: e.State ?? "",
          privateDnsEnabled: e.PrivateDnsEnabled ?? false,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return out;
  });
  return endpoints ?? null;
}

/** Inspector's coverage status (ACTIVE / INACTIVE) per repository name. */
async function collectInspectorCoverage(ctx: RegionContext, inspector: Inspector2Client, errors: FailureMap): Promise<Record<string, string> | null> {
  const coverage = await tryCall(ctx, errors, async () => {
    const out: Record<string, string> = {};
    let nextToken: string | undefined;
    const filterCriteria = { resourceType: [{ comparison: "EQUALS" as const, value: "AWS_ECR_REPOSITORY" }] };
    do {
      const page = await callAws(ctx, "inspector2", "ListCoverage", undefined, (o) => inspector.send(new ListCoverageCommand({ filterCriteria, maxResults: 200, nextToken }), o));
      for (const c of page.coveredResources ?? []) {
        const name = c.resourceMetadata?.ecrRepository?.name ?? c.resourceId?.split(":repository/")[1];
        if (name && c.scanStatus?.statusCode) out[name] = c.scanStatus.statusCode;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  });
  return coverage ?? null;
}

/**
 * `enhanced`: the registry scans with Inspector, so its coverage is worth reading; otherwise
 * `inspectorCoverage` stays null without a failure (Inspector does not cover BASIC registries).
 */
export async function collectRegionServices(ctx: RegionContext, clients: RegionServiceClients, { enhanced }: { enhanced: boolean }): Promise<RegionServicesRecord> {
  const errors: FailureMap = {};
  const [trails, guardDutyDetectors, vpcs, vpcEndpoints, inspectorCoverage] = await Promise.all([
    collectTrails(ctx, clients.cloudtrail, errors),
    collectDetectors(ctx, clients.guardduty, errors),
    collectVpcs(ctx, clients.ec2, errors),
    collectVpcEndpoints(ctx, clients.ec2, errors),
    enhanced ? collectInspectorCoverage(ctx, clients.inspector, errors) : Promise.resolve(null),
  ]);
  return { trails, guardDutyDetectors, vpcs, vpcEndpoints, inspectorCoverage, errors };
}
