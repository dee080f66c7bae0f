import { AwsError } from "../errors";
import { getRegistry } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import type { JsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { hash32, rngFor } from "../rng";

/**
 * AWS CloudTrail (JSON 1.1): the trails an account has, their logging status and event selectors.
 *
 * Trails belong to an account, not to a registry, while the `trail-logging` flaw is drawn per
 * registry (account x region). So an account is generated whole, from the flaws of all its
 * regions: with no flawed region it has one multi-region trail homed in the organisation's first
 * region; with any flawed region a working multi-region trail would cover it, so the account
 * instead trails region by region (a working single-region trail in each unflawed region) and the
 * flawed regions get a broken trail or none. Every region sees the same account-wide trail set,
 * each through its own view (home trails, plus shadows of other regions' multi-region trails).
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;
const TRAIL_ARN = /^arn:aws:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** What a trail's event selectors record; only the *-management kinds record management events (read and write). */
type Selectors = "basic-management" | "advanced-management" | "basic-data" | "advanced-data" | "basic-write-only";

interface Trail {
  name: string;
  accountId: string;
  homeRegion: string;
  multiRegion: boolean;
  logging: boolean;
  selectors: Selectors;
  bucket: string;
  logFileValidation: boolean;
  insights: boolean;
  createdAt: Date;
  /** When logging was stopped, for a trail that is not logging. */
  stoppedAt?: Date;
}

const arnOf = (t: Trail) => `arn:aws:cloudtrail:${t.homeRegion}:${t.accountId}:trail/${t.name}`;

/** Every trail of an account, in every region (see the file comment for how flaws shape them). */
function accountTrails(org: SandboxOrganization, accountId: string): Trail[] {
  const { seed, regions } = org.options;
  const flawed = regions.filter((r) => getRegistry(org, accountId, r).flaws.includes("trail-logging"));
  const rng = rngFor(seed, "cloudtrail", accountId);
  const bucket = `aws-cloudtrail-logs-${accountId}-${(hash32(seed, "trail-bucket", accountId) % 0xffffff).toString(16).padStart(6, "0")}`;
  const management = (r: ReturnType<typeof rngFor>): Selectors => (r.chance(0.35) ? "advanced-management" : "basic-management");
  const trail = (name: string, homeRegion: string, multiRegion: boolean, selectors: Selectors, logging = true): Trail => {
    const r = rngFor(seed, "trail", accountId, name);
    const createdAt = new Date(org.now.getTime() - r.int(200, 1400) * DAY);
    return {
      name,
      accountId,
      homeRegion,
      multiRegion,
      logging,
      selectors,
      bucket,
      logFileValidation: r.chance(0.7),
      insights: r.chance(0.15),
      createdAt,
      ...(logging ? {} : { stoppedAt: new Date(org.now.getTime() - r.int(3, 120) * DAY) }),
    };
  };

  const trails: Trail[] = [];
  if (flawed.length === 0) {
    trails.push(trail("management-events", regions[0], true, management(rng)));
  } else {
    // A multi-region trail the account may keep that covers nothing: stopped, data events only, or write-only.
    const broken = rng.pick(["none", "stopped", "data-only", "write-only"] as const);
    if (broken === "stopped") trails.push(trail("management-events", regions[0], true, management(rng), false));
    if (broken === "data-only") trails.push(trail("management-events", regions[0], true, rng.chance(0.5) ? "advanced-data" : "basic-data"));
    if (broken === "write-only") trails.push(trail("management-events", regions[0], true, "basic-write-only"));
    for (const region of regions) {
      const r = rngFor(seed, "cloudtrail", accountId, region);
      if (!flawed.includes(region)) {
        trails.push(trail(`audit-${region}`, region, false, management(r)));
        continue;
      }
      // The flawed region: no trail of its own (only another region's), or one that records nothing useful.
      const variant = r.pick(["absent", "stopped", "data-only", "write-only"] as const);
      if (variant === "stopped") trails.push(trail(`audit-${region}`, region, false, management(r), false));
      if (variant === "data-only") trails.push(trail(`audit-${region}`, region, false, r.chance(0.5) ? "advanced-data" : "basic-data"));
      if (variant === "write-only") trails.push(trail(`audit-${region}`, region, false, "basic-write-only"));
    }
  }
  // Some accounts also log S3 object events in a separate trail: it neither covers nor uncovers a region.
  if (rng.chance(0.3)) trails.push(trail("s3-data-events", regions[0], false, "advanced-data"));
  return trails;
}

/** The trails a region's endpoint knows: those homed there, and the shadows of multi-region trails. */
function visibleTrails(org: SandboxOrganization, accountId: string, region: string, includeShadows = true): Trail[] {
  return accountTrails(org, accountId).filter((t) => t.homeRegion === region || (includeShadows && t.multiRegion));
}

function describeTrail(t: Trail) {
  return {
    Name: t.name,
    S3BucketName: t.bucket,
    S3KeyPrefix: "cloudtrail",
    IncludeGlobalServiceEvents: t.multiRegion,
    IsMultiRegionTrail: t.multiRegion,
    HomeRegion: t.homeRegion,
    TrailARN: arnOf(t),
    LogFileValidationEnabled: t.logFileValidation,
    HasCustomEventSelectors: t.selectors !== "basic-management",
    HasInsightSelectors: t.insights,
    IsOrganizationTrail: false,
  };
}

function eventSelectors(t: Trail) {
  switch (t.selectors) {
    case "basic-management":
      return { EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };
    case "basic-write-only":
      return { EventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] };
    case "basic-data":
      return {
        EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }], ExcludeManagementEventSources: [] }],
      };
    case "advanced-management":
      return {
        AdvancedEventSelectors: [
          { Name: "Management events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
          { Name: "S3 object events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::S3::Object"] }] },
        ],
      };
    case "advanced-data":
      return {
        AdvancedEventSelectors: [{ Name: "S3 object events", FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::S3::Object"] }] }],
      };
  }
}

function trailNameInput(request: SandboxRequest, member: "Name" | "TrailName"): string {
  const value = request.input[member];
  if (value === undefined || value === null || value === "") throw new AwsError("InvalidTrailNameException", `${member} is required and must not be empty.`);
  if (typeof value !== "string") throw new AwsError("SerializationException", `STRING_VALUE can not be converted to a String: ${member}`);
  return value;
}

/** Finds a trail by name (home-region trails only, as AWS does) or by ARN (shadows too). */
function findTrail(org: SandboxOrganization, request: SandboxRequest, nameOrArn: string): Trail {
  const { accountId } = request.caller;
  const notFound = () => new AwsError("TrailNotFoundException", `Unknown trail: ${nameOrArn} for the user: ${accountId}`);
  if (nameOrArn.startsWith("arn:")) {
    const match = TRAIL_ARN.exec(nameOrArn);
    if (!match) throw new AwsError("CloudTrailARNInvalidException", `${nameOrArn} is not a valid ARN. The ARN must be in the format arn:aws:cloudtrail:<region>:<account>:trail/<name>.`);
    const trail = match[2] === accountId ? visibleTrails(org, accountId, request.region).find((t) => arnOf(t) === nameOrArn) : undefined;
    if (!trail) throw notFound();
    return trail;
  }
  if (!NAME.test(nameOrArn) || /[._-]{2}/.test(nameOrArn)) {
    throw new AwsError(
      "InvalidTrailNameException",
      `Trail name ${nameOrArn} is not valid: it must be 3 to 128 characters of letters, numbers, periods, underscores and dashes, start and end with a letter or number, and have no adjacent periods, underscores or dashes.`,
    );
  }
  const trail = visibleTrails(org, accountId, request.region, false).find((t) => t.name === nameOrArn);
  if (!trail) throw notFound();
  return trail;
}

export function cloudtrailService(org: SandboxOrganization): JsonService {
  return {
    protocol: "json",
    // The bare shape name the JS SDK v3 sends; server.ts also accepts botocore's long form
    // (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101), as AWS does.
    targetPrefix: "CloudTrail_20131101",
    operations: {
      DescribeTrails(request) {
        const { trailNameList, includeShadowTrails } = request.input;
        if (includeShadowTrails !== undefined && typeof includeShadowTrails !== "boolean") {
          throw new AwsError("SerializationException", "BOOLEAN_VALUE can not be converted to a Boolean: includeShadowTrails");
        }
        if (trailNameList !== undefined && (!Array.isArray(trailNameList) || trailNameList.some((n) => typeof n !== "string"))) {
          throw new AwsError("SerializationException", "Expected a list of strings for trailNameList");
        }
        const shadows = includeShadowTrails !== false;
        const visible = visibleTrails(org, request.caller.accountId, request.region, shadows);
        const names = (trailNameList ?? []) as string[];
        if (names.length === 0) return { trailList: visible.map(describeTrail) };
        // Names match only trails homed in this region; ARNs match any trail this region sees. Unknown ones are left out.
        const matched = visible.filter((t) => names.some((n) => (n.startsWith("arn:") ? n === arnOf(t) : n === t.name && t.homeRegion === request.region)));
        return { trailList: matched.map(describeTrail) };
      },
      GetTrailStatus(request) {
        const trail = findTrail(org, request, trailNameInput(request, "Name"));
        const r = rngFor(org.options.seed, "trail-status", trail.accountId, trail.name);
        // CloudTrail delivers log files about every 5 minutes; a stopped trail's last delivery follows its stop.
        const lastDelivery = trail.stoppedAt ? new Date(trail.stoppedAt.getTime() + r.int(1, 10) * 60_000) : new Date(org.now.getTime() - r.int(1, 15) * 60_000);
        const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
        return {
          IsLogging: trail.logging,
          LatestDeliveryTime: lastDelivery,
          StartLoggingTime: trail.createdAt,
          ...(trail.stoppedAt ? { StopLoggingTime: trail.stoppedAt, TimeLoggingStopped: iso(trail.stoppedAt) } : {}),
          ...(trail.logFileValidation ? { LatestDigestDeliveryTime: new Date(Math.floor(lastDelivery.getTime() / HOUR) * HOUR) } : {}),
          LatestDeliveryAttemptTime: iso(lastDelivery),
          LatestDeliveryAttemptSucceeded: iso(lastDelivery),
          LatestNotificationAttemptTime: "",
          LatestNotificationAttemptSucceeded: "",
          TimeLoggingStarted: iso(trail.createdAt),
        };
      },
      GetEventSelectors(request) {
        const trail = findTrail(org, request, trailNameInput(request, "TrailName"));
        return { TrailARN: arnOf(trail), ...eventSelectors(trail) };
      },
    },
  };
}
