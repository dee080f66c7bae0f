import type { SandboxOrganization } from "../organization";
import type { ServiceDefinition } from "../protocols";
import { costExplorerService } from "./cost-explorer";
import { cloudtrailService } from "./cloudtrail";
import { ec2Service } from "./ec2";
import { ecrService } from "./ecr";
import { guarddutyService } from "./guardduty";
import { inspector2Service } from "./inspector2";
import { kmsService } from "./kms";
import { organizationsService } from "./organizations";
import { stsService } from "./sts";

/** Every service the sandbox speaks, by its SigV4 signing name. */
export function createServices(org: SandboxOrganization, clock: () => number): Record<string, ServiceDefinition> {
  return {
    sts: stsService(org, clock),
    organizations: organizationsService(org),
    ecr: ecrService(org),
    kms: kmsService(org),
    cloudtrail: cloudtrailService(org),
    ec2: ec2Service(org),
    guardduty: guarddutyService(org),
    inspector2: inspector2Service(org),
    ce: costExplorerService(org),
  };
}
