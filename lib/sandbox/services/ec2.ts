import { createHash } from "node:crypto";
import { AwsError } from "../errors";
import { getRegistry } from "../ecr-model";
import type { SandboxOrganization } from "../organization";
import { type QueryService, xmlEscape } from "../protocols";
import type { SandboxRequest } from "../request";
import { rngFor } from "../rng";
import { encodeToken } from "./pagination";

/**
 * Amazon EC2 (query protocol, EC2's XML): the VPCs of a region and their VPC endpoints, for the
 * vpc-endpoints check (NET-01). Every region has its default VPC plus one to five workload VPCs,
 * so the check is never NOT_APPLICABLE in the sandbox. A registry without the `vpc-endpoints` flaw
 * has at least one workload VPC with the full set (ecr.api and ecr.dkr interface endpoints,
 * available, with private DNS, and an S3 gateway endpoint); a flawed registry has VPCs with
 * endpoints that each miss one part of that set, so no VPC has all of it.
 */

const NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
const DAY = 86_400_000;

interface Endpoint {
  id: string;
  type: "Interface" | "Gateway";
  vpcId: string;
  serviceName: string;
  state: "available" | "pendingAcceptance" | "pending" | "failed";
  privateDns: boolean;
  createdAt: Date;
  subnetIds: string[];
  routeTableIds: string[];
  securityGroupId?: string;
}

interface Vpc {
  id: string;
  cidr: string;
  isDefault: boolean;
  name?: string;
  dhcpOptionsId: string;
  routeTableId: string;
  subnetIds: string[];
  securityGroupId: string;
}

/** How a VPC's endpoints fall short of (or meet) the full set the check wants. */
type EndpointSet = "full" | "none" | "s3-only" | "no-dkr" | "no-private-dns" | "s3-interface" | "not-available" | "ecr-only";
const BROKEN: EndpointSet[] = ["no-dkr", "no-private-dns", "s3-interface", "not-available", "ecr-only"];

const hex = (length: number, ...parts: (string | number)[]) => createHash("sha256").update(parts.join("/")).digest("hex").slice(0, length);

/** The VPCs and VPC endpoints of one account in one region, in a stable order. */
function network(org: SandboxOrganization, accountId: string, region: string): { vpcs: Vpc[]; endpoints: Endpoint[] } {
  const { seed } = org.options;
  const flawed = getRegistry(org, accountId, region).flaws.includes("vpc-endpoints");
  const rng = rngFor(seed, "ec2", accountId, region);
  const env = org.accounts.find((a) => a.id === accountId)?.environment ?? "management";
  const vpc = (k: number, isDefault: boolean): Vpc => ({
    id: `vpc-${hex(17, seed, "vpc", accountId, region, k)}`,
    cidr: isDefault ? "172.31.0.0/16" : `10.${(k * 16 + rng.int(0, 15)) % 256}.0.0/16`,
    isDefault,
    ...(isDefault ? {} : { name: `${env}-${["core", "apps", "data", "edge", "batch"][k - 1]}` }),
    dhcpOptionsId: `dopt-${hex(17, seed, "dopt", accountId, region)}`,
    routeTableId: `rtb-${hex(17, seed, "rtb", accountId, region, k)}`,
    subnetIds: [0, 1].map((s) => `subnet-${hex(17, seed, "subnet", accountId, region, k, s)}`),
    securityGroupId: `sg-${hex(17, seed, "sg", accountId, region, k)}`,
  });
  const vpcs = [vpc(0, true)];
  const workload = rng.int(1, 5);
  for (let k = 1; k <= workload; k++) vpcs.push(vpc(k, false));

  // Which set each VPC gets: the default VPC rarely has endpoints; workload VPCs vary.
  const sets: EndpointSet[] = vpcs.map((v) => (v.isDefault ? (rng.chance(0.2) ? "s3-only" : "none") : rng.pick<EndpointSet>(["none", "s3-only", "ecr-only", ...BROKEN])));
  if (flawed) {
    // At least one VPC comes close, so a check that looks only for ecr.api (or only at one VPC) is caught out.
    sets[1 + rng.int(0, workload - 1)] = rng.pick(BROKEN);
  } else {
    sets[1 + rng.int(0, workload - 1)] = "full";
  }

  const endpoints: Endpoint[] = [];
  vpcs.forEach((v, k) => {
    const e = rngFor(seed, "vpce", accountId, region, k);
    const add = (service: string, type: Endpoint["type"], options: Partial<Pick<Endpoint, "state" | "privateDns">> = {}) =>
      endpoints.push({
        id: `vpce-${hex(17, seed, "vpce", accountId, region, k, service, type)}`,
        type,
        vpcId: v.id,
        serviceName: `com.amazonaws.${region}.${service}`,
        state: options.state ?? "available",
        privateDns: type === "Interface" ? (options.privateDns ?? true) : false,
        createdAt: new Date(org.now.getTime() - e.int(30, 900) * DAY - e.int(0, 86_399) * 1000),
        subnetIds: type === "Interface" ? v.subnetIds : [],
        routeTableIds: type === "Gateway" ? [v.routeTableId] : [],
        ...(type === "Interface" ? { securityGroupId: v.securityGroupId } : {}),
      });
    switch (sets[k]) {
      case "full":
        add("ecr.api", "Interface");
        add("ecr.dkr", "Interface");
        add("s3", "Gateway");
        break;
      case "s3-only":
        add("s3", "Gateway");
        break;
      case "ecr-only":
        add("ecr.api", "Interface");
        add("ecr.dkr", "Interface");
        break;
      case "no-dkr":
        add("ecr.api", "Interface");
        add("s3", "Gateway");
        break;
      case "no-private-dns":
        add("ecr.api", "Interface");
        add("ecr.dkr", "Interface", { privateDns: false });
        add("s3", "Gateway");
        break;
      case "s3-interface":
        // S3 through an interface endpoint rather than the gateway endpoint the check asks for.
        add("ecr.api", "Interface");
        add("ecr.dkr", "Interface");
        add("s3", "Interface", { privateDns: false });
        break;
      case "not-available":
        add("ecr.api", "Interface");
        add("ecr.dkr", "Interface", { state: e.pick(["pendingAcceptance", "pending", "failed"] as const) });
        add("s3", "Gateway");
        break;
      case "none":
        break;
    }
  });
  return { vpcs, endpoints };
}

/** Reads EC2's `Name.N` lists (VpcId.1, VpcId.2, ...) in order. */
function listParam(input: Record<string, unknown>, name: string): string[] {
  const out: { n: number; v: string }[] = [];
  for (const [key, value] of Object.entries(input)) {
    const match = new RegExp(`^${name}\\.(\\d+)$`).exec(key);
    if (match) out.push({ n: Number(match[1]), v: String(value) });
  }
  return out.sort((a, b) => a.n - b.n).map((x) => x.v);
}

interface Filter {
  name: string;
  values: string[];
}

/** Reads `Filter.N.Name` / `Filter.N.Value.M`. */
function filters(input: Record<string, unknown>): Filter[] {
  const byIndex = new Map<number, Filter>();
  for (const [key, value] of Object.entries(input)) {
    const match = /^Filter\.(\d+)\.(Name|Value\.(\d+))$/.exec(key);
    if (!match) continue;
    const n = Number(match[1]);
    const filter = byIndex.get(n) ?? { name: "", values: [] };
    if (match[2] === "Name") filter.name = String(value);
    else filter.values.push(String(value));
    byIndex.set(n, filter);
  }
  const out = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, f]) => f);
  if (out.length > 50) throw new AwsError("FilterLimitExceeded", "The maximum number of filters (50) has been exceeded.");
  for (const f of out) {
    if (!f.name) throw new AwsError("InvalidParameterValue", "The filter 'null' is invalid");
    if (f.values.length === 0) throw new AwsError("InvalidParameterCombination", `The request must contain the parameter Filter.Value for the filter '${f.name}'`);
    if (f.values.length > 200) throw new AwsError("FilterLimitExceeded", `The filter '${f.name}' has more than 200 values.`);
  }
  return out;
}

/** EC2 filter values take `*` (any run) and `?` (one character) wildcards. */
function matchesValue(actual: string | undefined, pattern: string): boolean {
  if (actual === undefined) return false;
  if (!/[*?]/.test(pattern)) return actual === pattern;
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return regex.test(actual);
}

/**
 * Applies filters as EC2 does: the values of one filter are ORed, filters are ANDed. `fields`
 * gives an item's value(s) for each supported filter name (and `tag:<key>`).
 */
function applyFilters<T>(items: T[], list: Filter[], fields: (item: T) => Record<string, string[]>, tags: (item: T) => { Key: string; Value: string }[], known: readonly string[]): T[] {
  for (const f of list) {
    if (!known.includes(f.name) && !/^tag:.+/.test(f.name)) throw new AwsError("InvalidParameterValue", `The filter '${f.name}' is invalid`);
  }
  const valuesOf = (item: T, name: string) => (name.startsWith("tag:") ? tags(item).filter((t) => t.Key === name.slice(4)).map((t) => t.Value) : (fields(item)[name] ?? []));
  return items.filter((item) => list.every((f) => valuesOf(item, f.name).some((actual) => f.values.some((p) => matchesValue(actual, p)))));
}

const VPC_FILTERS = ["vpc-id", "is-default", "state", "cidr", "cidr-block-association.cidr-block", "owner-id", "dhcp-options-id", "tag-key"] as const;
const ENDPOINT_FILTERS = ["vpc-id", "service-name", "vpc-endpoint-id", "vpc-endpoint-type", "vpc-endpoint-state", "ip-address-type", "tag-key"] as const;

function maxResults(input: Record<string, unknown>): number | undefined {
  if (input.MaxResults === undefined) return undefined;
  const value = Number(input.MaxResults);
  if (!Number.isInteger(value) || value < 5 || value > 1000) {
    throw new AwsError("InvalidParameterValue", `Value ( ${String(input.MaxResults)} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.`);
  }
  return value;
}

/** Pages a listing with an opaque token bound to the request; a foreign or made-up token is refused as EC2 refuses it. */
function paginate<T>(items: T[], input: Record<string, unknown>, fingerprint: string): { items: T[]; nextToken?: string } {
  const size = maxResults(input);
  const token = input.NextToken;
  let offset = 0;
  if (token !== undefined) {
    const invalid = () => new AwsError("InvalidParameterValue", `Value ( ${String(token)} ) for parameter NextToken is invalid. The token is invalid.`);
    try {
      const parsed = JSON.parse(Buffer.from(String(token), "base64").toString("utf8")) as { o?: unknown; f?: unknown };
      if (typeof parsed.o !== "number" || !Number.isInteger(parsed.o) || parsed.o < 0 || parsed.f !== fingerprint) throw invalid();
      offset = parsed.o;
    } catch {
      throw invalid();
    }
  }
  if (size === undefined) return { items: items.slice(offset) };
  const slice = items.slice(offset, offset + size);
  return { items: slice, ...(offset + size < items.length ? { nextToken: encodeToken(offset + size, fingerprint) } : {}) };
}

function dryRun(input: Record<string, unknown>) {
  if (input.DryRun === "true") throw new AwsError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
}

const tagsOf = (v: Vpc) => (v.name ? [{ Key: "Name", Value: v.name }] : []);

function fingerprintOf(request: SandboxRequest, ids: string[], list: Filter[]) {
  return createHash("sha256").update(JSON.stringify([request.operation, request.caller.accountId, request.region, ids, list])).digest("hex").slice(0, 16);
}

/** Renders a result as EC2 XML: arrays become `<item>` lists, Dates ISO 8601, undefined is left out. */
function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<item>${toXml(v)}</item>`).join("");
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  }
  return xmlEscape(value);
}

export function ec2Service(org: SandboxOrganization): QueryService {
  return {
    protocol: "query",
    errorStyle: "ec2",
    operations: {
      DescribeVpcs(request) {
        const { input } = request;
        dryRun(input);
        const { accountId } = request.caller;
        let vpcs = network(org, accountId, request.region).vpcs;
        const ids = listParam(input, "VpcId");
        for (const id of ids) {
          if (!/^vpc-[0-9a-f]{8,17}$/.test(id)) throw new AwsError("InvalidVpcID.Malformed", `Invalid id: "${id}"`);
          if (!vpcs.some((v) => v.id === id)) throw new AwsError("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`);
        }
        if (ids.length) vpcs = vpcs.filter((v) => ids.includes(v.id));
        const list = filters(input);
        vpcs = applyFilters(
          vpcs,
          list,
          (v) => ({
            "vpc-id": [v.id],
            "is-default": [String(v.isDefault)],
            state: ["available"],
            cidr: [v.cidr],
            "cidr-block-association.cidr-block": [v.cidr],
            "owner-id": [accountId],
            "dhcp-options-id": [v.dhcpOptionsId],
            "tag-key": tagsOf(v).map((t) => t.Key),
          }),
          tagsOf,
          VPC_FILTERS,
        );
        const { items, nextToken } = paginate(vpcs, input, fingerprintOf(request, ids, list));
        return {
          vpcSet: items.map((v) => ({
            vpcId: v.id,
            ownerId: accountId,
            instanceTenancy: "default",
            cidrBlockAssociationSet: [{ associationId: `vpc-cidr-assoc-${v.id.slice(4)}`, cidrBlock: v.cidr, cidrBlockState: { state: "associated" } }],
            isDefault: v.isDefault,
            tagSet: tagsOf(v).map((t) => ({ key: t.Key, value: t.Value })),
            state: "available",
            cidrBlock: v.cidr,
            dhcpOptionsId: v.dhcpOptionsId,
          })),
          nextToken,
        };
      },
      DescribeVpcEndpoints(request) {
        const { input } = request;
        dryRun(input);
        const { accountId } = request.caller;
        let endpoints = network(org, accountId, request.region).endpoints;
        const ids = listParam(input, "VpcEndpointId");
        for (const id of ids) {
          if (!/^vpce-[0-9a-f]{8,17}$/.test(id)) throw new AwsError("InvalidVpcEndpointId.Malformed", `Invalid Id: '${id}'`);
          if (!endpoints.some((e) => e.id === id)) throw new AwsError("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${id}' does not exist`);
        }
        if (ids.length) endpoints = endpoints.filter((e) => ids.includes(e.id));
        const list = filters(input);
        endpoints = applyFilters(
          endpoints,
          list,
          (e) => ({
            "vpc-id": [e.vpcId],
            "service-name": [e.serviceName],
            "vpc-endpoint-id": [e.id],
            "vpc-endpoint-type": [e.type],
            "vpc-endpoint-state": [e.state],
            "ip-address-type": ["ipv4"],
            "tag-key": [],
          }),
          () => [],
          ENDPOINT_FILTERS,
        );
        const { items, nextToken } = paginate(endpoints, input, fingerprintOf(request, ids, list));
        const policy = JSON.stringify({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
        return {
          vpcEndpointSet: items.map((e) => ({
            vpcEndpointId: e.id,
            vpcEndpointType: e.type,
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            state: e.state,
            policyDocument: policy,
            routeTableIdSet: e.routeTableIds,
            subnetIdSet: e.subnetIds,
            groupSet: e.securityGroupId ? [{ groupId: e.securityGroupId, groupName: "vpc-endpoints" }] : [],
            ipAddressType: "ipv4",
            ...(e.type === "Interface" ? { dnsOptions: { dnsRecordIpType: "ipv4" } } : {}),
            privateDnsEnabled: e.privateDns,
            requesterManaged: false,
            networkInterfaceIdSet: e.subnetIds.map((s) => `eni-${hex(17, e.id, s)}`),
            dnsEntrySet:
              e.type === "Interface"
                ? [
                    { dnsName: `${e.id}-${hex(8, e.id, "dns")}.${e.serviceName.split(".").slice(3).reverse().join(".")}.${request.region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" },
                    ...(e.privateDns ? [{ dnsName: privateDnsName(e.serviceName, request.region), hostedZoneId: `Z${hex(20, e.id, "phz").toUpperCase()}` }] : []),
                  ]
                : [],
            creationTimestamp: e.createdAt,
            tagSet: [],
            ownerId: accountId,
          })),
          nextToken,
        };
      },
    },
    render(operation, result, requestId) {
      return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${NS}"><requestId>${requestId}</requestId>${toXml(result)}</${operation}Response>`;
    },
  };
}

/** The service's own DNS name, which private DNS makes resolve to the endpoint. */
function privateDnsName(serviceName: string, region: string): string {
  const service = serviceName.split(".").slice(3).join(".");
  if (service === "ecr.api") return `api.ecr.${region}.amazonaws.com`;
  if (service === "ecr.dkr") return `*.dkr.ecr.${region}.amazonaws.com`;
  return `${service}.${region}.amazonaws.com`;
}
