import { createHash } from "node:crypto";
import { AwsError } from "../errors";
import { getRegistry } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import type { RestJsonService } from "../protocols";
import type { SandboxRequest } from "../request";
import { rngFor } from "../rng";
import { decodeToken, page } from "./pagination";

/**
 * Amazon GuardDuty (REST JSON, camelCase keys): the detector of each account and region. GuardDuty
 * allows one detector per account and region. A registry with the `guardduty-enabled` flaw has
 * either no detector at all or a suspended (DISABLED) one, drawn per registry; every other
 * registry has one ENABLED detector.
 */

const DAY = 86_400_000;

interface Detector {
  id: string;
  status: "ENABLED" | "DISABLED";
  createdAt: Date;
  updatedAt: Date;
  frequency: "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
  s3Logs: boolean;
  eksAuditLogs: boolean;
  ebsMalware: boolean;
}

function detectorOf(org: SandboxOrganization, accountId: string, region: string): Detector | undefined {
  const { seed } = org.options;
  const flawed = getRegistry(org, accountId, region).flaws.includes("guardduty-enabled");
  const rng = rngFor(seed, "guardduty", accountId, region);
  const missing = flawed && rng.chance(0.5);
  if (missing) return undefined;
  const createdAt = new Date(org.now.getTime() - rng.int(100, 1500) * DAY - rng.int(0, 86_399_999));
  return {
    // GuardDuty detector ids are 32 lowercase hex characters.
    id: createHash("sha256").update(`${seed}/guardduty/${accountId}/${region}`).digest("hex").slice(0, 32),
    status: flawed ? "DISABLED" : "ENABLED",
    createdAt,
    updatedAt: new Date(Math.min(org.now.getTime(), createdAt.getTime() + rng.int(1, 90) * DAY)),
    frequency: rng.pick(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS", "SIX_HOURS"] as const),
    s3Logs: rng.chance(0.7),
    eksAuditLogs: rng.chance(0.4),
    ebsMalware: rng.chance(0.3),
  };
}

const badRequest = (message: string) => new AwsError("BadRequestException", message, 400);

function maxResultsOf(request: SandboxRequest): number {
  const raw = request.input.maxResults;
  if (raw === undefined) return 50;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 50) {
    throw badRequest(`The request is rejected because the value ${String(raw)} for the input parameter maxResults is not valid: it must be between 1 and 50.`);
  }
  return value;
}

const status = (on: boolean) => (on ? "ENABLED" : "DISABLED");

export function guarddutyService(org: SandboxOrganization): RestJsonService {
  return {
    protocol: "rest-json",
    routes: [
      { method: "GET", path: "/detector", operation: "ListDetectors" },
      { method: "GET", path: "/detector/{detectorId}", operation: "GetDetector" },
    ],
    operations: {
      ListDetectors(request) {
        const size = maxResultsOf(request);
        const detector = detectorOf(org, request.caller.accountId, request.region);
        const fingerprint = `detectors/${request.caller.accountId}/${request.region}`;
        let offset: number;
        try {
          offset = decodeToken(request.input.nextToken, fingerprint, "BadRequestException");
        } catch {
          throw badRequest("The request is rejected because the input nextToken is not valid.");
        }
        const { items, nextToken } = page(detector ? [detector.id] : [], offset, size, fingerprint);
        return { detectorIds: items, ...(nextToken ? { nextToken } : {}) };
      },
      GetDetector(request) {
        const detectorId = String(request.input.detectorId ?? "");
        if (detectorId.length < 1 || detectorId.length > 300) {
          throw badRequest("The request is rejected because the input detectorId is not valid: it must be between 1 and 300 characters.");
        }
        const detector = detectorOf(org, request.caller.accountId, request.region);
        if (!detector || detector.id !== detectorId) {
          throw badRequest("The request is rejected because the input detectorId is not owned by the current account.");
        }
        const d = detector;
        const serviceRole = `arn:aws:iam::${request.caller.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`;
        const feature = (name: string, on: boolean) => ({ name, status: status(on), updatedAt: d.updatedAt });
        return {
          // GuardDuty's model types these two as strings (ISO 8601), unlike every other timestamp it returns.
          createdAt: d.createdAt.toISOString(),
          updatedAt: d.updatedAt.toISOString(),
          findingPublishingFrequency: d.frequency,
          serviceRole,
          status: d.status,
          dataSources: {
            cloudTrail: { status: "ENABLED" },
            dnsLogs: { status: "ENABLED" },
            flowLogs: { status: "ENABLED" },
            s3Logs: { status: status(d.s3Logs) },
            kubernetes: { auditLogs: { status: status(d.eksAuditLogs) } },
            malwareProtection: {
              scanEc2InstanceWithFindings: { ebsVolumes: { status: status(d.ebsMalware) } },
              serviceRole: `arn:aws:iam::${request.caller.accountId}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
            },
          },
          features: [
            feature("CLOUD_TRAIL", true),
            feature("DNS_LOGS", true),
            feature("FLOW_LOGS", true),
            feature("S3_DATA_EVENTS", d.s3Logs),
            feature("EKS_AUDIT_LOGS", d.eksAuditLogs),
            feature("EBS_MALWARE_PROTECTION", d.ebsMalware),
            feature("RDS_LOGIN_EVENTS", false),
            feature("LAMBDA_NETWORK_LOGS", false),
            { ...feature("RUNTIME_MONITORING", false), additionalConfiguration: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "DISABLED", updatedAt: d.updatedAt }] },
          ],
          tags: {},
        };
      },
    },
  };
}
