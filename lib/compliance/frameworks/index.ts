import type { FrameworkPack } from "../types";
import { awsFsbp } from "./aws-fsbp";
import { awsSecurityHub } from "./aws-securityhub";
import { csaCcmV5 } from "./csa-ccm-v5";
import { ecrCost } from "./ecr-cost";
import { nist80053R5 } from "./nist-800-53-r5";

/** Every framework pack, in the order pages list them. A new framework is a new file here. */
export const FRAMEWORKS: readonly FrameworkPack[] = [csaCcmV5, nist80053R5, awsFsbp, awsSecurityHub, ecrCost];

const byId = new Map(FRAMEWORKS.map((f) => [f.id, f]));

export function getFramework(id: string): FrameworkPack | undefined {
  return byId.get(id);
}
