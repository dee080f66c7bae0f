import type { RegistryCheck, RegistryFacts } from "../types";
import { error, fail, notApplicable, pass, unreadable } from "./result";

/**
 * NET-01: a VPC reaches ECR privately. That takes three endpoints in the same VPC: ecr.api
 * (the API) and ecr.dkr (the Docker registry protocol) as Interface endpoints with private DNS,
 * so the public names resolve to them, and an S3 Gateway endpoint, because image layers are
 * downloaded from S3. An S3 *interface* endpoint does not take over the public S3 name the layer
 * URLs use, so it does not count.
 */

type Endpoint = NonNullable<RegistryFacts["vpcEndpoints"]>[number];
type Part = "ecr.api" | "ecr.dkr" | "s3";
const PARTS: readonly Part[] = ["ecr.api", "ecr.dkr", "s3"];

// The API answers "available" (lower case) while the SDK's enum spells "Available": compare either.
const isAvailable = (e: Endpoint) => e.state.toLowerCase() === "available";
const isType = (e: Endpoint, type: "interface" | "gateway") => e.type.toLowerCase() === type;

/** Service names per region, in the aws partition and in China's (cn.com.amazonaws.<region>.*). */
function serviceNames(region: string): Record<Part, string[]> {
  const of = (service: string) => [`com.amazonaws.${region}.${service}`, `cn.com.amazonaws.${region}.${service}`];
  return { "ecr.api": of("ecr.api"), "ecr.dkr": of("ecr.dkr"), s3: of("s3") };
}

/** Whether `endpoints` (one VPC's) provide a part; if not, why not (naming the closest endpoint). */
function judgePart(part: Part, names: string[], endpoints: Endpoint[]): { ok: true; endpoint: Endpoint } | { ok: false; problem: string } {
  const candidates = endpoints.filter((e) => names.includes(e.serviceName));
  if (part === "s3") {
    const gateway = candidates.find((e) => isType(e, "gateway") && isAvailable(e));
    if (gateway) return { ok: true, endpoint: gateway };
    const pending = candidates.find((e) => isType(e, "gateway"));
    if (pending) return { ok: false, problem: `S3 gateway endpoint ${pending.vpcEndpointId} is ${pending.state}` };
    const other = candidates[0];
    if (other) return { ok: false, problem: `no S3 gateway endpoint (S3 has only ${other.type} endpoint ${other.vpcEndpointId}, which layer downloads do not use)` };
    return { ok: false, problem: "no S3 gateway endpoint" };
  }
  const good = candidates.find((e) => isType(e, "interface") && isAvailable(e) && e.privateDnsEnabled);
  if (good) return { ok: true, endpoint: good };
  const interfaces = candidates.filter((e) => isType(e, "interface"));
  if (interfaces.length === 0) return { ok: false, problem: `no ${part} interface endpoint` };
  const available = interfaces.find(isAvailable);
  if (available) return { ok: false, problem: `${part} endpoint ${available.vpcEndpointId} has private DNS disabled` };
  return { ok: false, problem: `${part} endpoint ${interfaces[0].vpcEndpointId} is ${interfaces[0].state}, not available` };
}

export const vpcEndpoints: RegistryCheck = {
  id: "vpc-endpoints",
  scope: "registry",
  evaluate({ region, vpcs, vpcEndpoints: endpoints, readErrors }) {
    const failed = unreadable(readErrors, ["DescribeVpcs", "DescribeVpcEndpoints"], { region });
    if (failed) return failed;
    if (vpcs === null || endpoints === null) {
      return error(`The ${vpcs === null ? "VPCs" : "VPC endpoints"} of ${region} were not collected (no answer and no recorded failure)`, { region });
    }
    if (vpcs.length === 0) return notApplicable(`No VPC in ${region}: nothing there pulls from ECR through a VPC`, { region, vpcCount: 0 });

    const names = serviceNames(region);
    const byVpc = new Map<string, Endpoint[]>();
    for (const e of endpoints) {
      const list = byVpc.get(e.vpcId);
      if (list) list.push(e);
      else byVpc.set(e.vpcId, [e]);
    }
    const judged = vpcs.map((vpc) => {
      const own = byVpc.get(vpc.vpcId) ?? [];
      const parts = PARTS.map((part) => ({ part, ...judgePart(part, names[part], own) }));
      return { vpc, parts, missing: parts.filter((p) => !p.ok).length };
    });

    const complete = judged.find((j) => j.missing === 0);
    if (complete) {
      const ids = complete.parts.map((p) => (p.ok ? `${p.part} ${p.endpoint.vpcEndpointId}` : p.part)).join(", ");
      return pass(`VPC ${complete.vpc.vpcId} reaches ECR privately in ${region}: ${ids}`, {
        region,
        vpcId: complete.vpc.vpcId,
        endpoints: complete.parts.map((p) => (p.ok ? p.endpoint : null)),
        vpcCount: vpcs.length,
      });
    }

    // The closest VPC: fewest missing parts; a workload VPC before the default one.
    const closest = [...judged].sort((a, b) => a.missing - b.missing || Number(a.vpc.isDefault) - Number(b.vpc.isDefault))[0];
    const problems = closest.parts.flatMap((p) => (p.ok ? [] : [p.problem]));
    return fail(
      `No VPC in ${region} has the ecr.api and ecr.dkr interface endpoints (available, private DNS) and an S3 gateway endpoint; the closest, ${closest.vpc.vpcId}${closest.vpc.isDefault ? " (default VPC)" : ""}, lacks: ${problems.join("; ")}`,
      {
        region,
        vpcCount: vpcs.length,
        closestVpc: closest.vpc.vpcId,
        missing: problems,
        vpcs: judged.slice(0, 10).map((j) => ({ vpcId: j.vpc.vpcId, isDefault: j.vpc.isDefault, missing: j.parts.flatMap((p) => (p.ok ? [] : [p.part])) })),
        ecrEndpoints: endpoints.filter((e) => PARTS.some((part) => names[part].includes(e.serviceName))).slice(0, 10),
      },
    );
  },
};
