import type { SandboxOrganization } from "../organization";
import type { ServiceDefinition } from "../protocols";
import { ecrService } from "./ecr";
import { organizationsService } from "./organizations";
import { stsService } from "./sts";

/** Every service the sandbox speaks, by its SigV4 signing name. */
export function createServices(org: SandboxOrganization, clock: () => number): Record<string, ServiceDefinition> {
  return {
    sts: stsService(org, clock),
    organizations: organizationsService(org),
    ecr: ecrService(org),
  };
}
