import { describe, expect, it } from "vitest";
import { CHECK_IDS } from "./checks/testing";
import { REMEDIATION } from "./remediation";
import type { CheckId } from "./types";

const ids = Object.keys(CHECK_IDS) as CheckId[];

/** The resource types each fix names, per CONTROLS.md ("Terraform (aws_ecr_*), CloudFormation"). */
const RESOURCES: [CheckId, string, string, string][] = [
  ["scan-configured", "aws ecr put-registry-scanning-configuration", "aws_ecr_registry_scanning_configuration", "AWS::ECR::RegistryScanningConfiguration"],
  ["tag-immutability", "aws ecr put-image-tag-mutability", "aws_ecr_repository", "AWS::ECR::Repository"],
  ["lifecycle-present", "aws ecr put-lifecycle-policy", "aws_ecr_lifecycle_policy", "AWS::ECR::Repository"],
  ["lifecycle-cost-rules", "aws ecr put-lifecycle-policy", "aws_ecr_lifecycle_policy", "AWS::ECR::Repository"],
  ["kms-encryption", "aws ecr create-repository", "aws_ecr_repository", "AWS::ECR::Repository"],
  ["cmk-encryption", "aws ecr create-repository", "aws_kms_key", "AWS::KMS::Key"],
  ["key-rotation", "aws kms enable-key-rotation", "aws_kms_key", "AWS::KMS::Key"],
  ["policy-not-public", "aws ecr set-repository-policy", "aws_ecr_repository_policy", "AWS::ECR::RegistryPolicy"],
  ["cross-account-trusted", "aws ecr set-repository-policy", "aws_ecr_repository_policy", "AWS::ECR::Repository"],
  ["latest-image-vulns", "aws ecr start-image-scan", "aws_ecr_registry_scanning_configuration", "AWS::ECR::RegistryScanningConfiguration"],
  ["continuous-scanning", "aws inspector2 enable", "aws_ecr_registry_scanning_configuration", "AWS::ECR::RegistryScanningConfiguration"],
  ["trail-logging", "aws cloudtrail start-logging", "aws_cloudtrail", "AWS::CloudTrail::Trail"],
  ["guardduty-enabled", "aws guardduty create-detector", "aws_guardduty_detector", "AWS::GuardDuty::Detector"],
  ["vpc-endpoints", "aws ec2 create-vpc-endpoint", "aws_vpc_endpoint", "AWS::EC2::VPCEndpoint"],
  ["tls-in-transit", "aws ecr set-repository-policy", "aws_ecr_repository_policy", "AWS::ECR::Repository"],
  ["image-size", "aws ecr describe-images", "aws_ecr_lifecycle_policy", "AWS::ECR::Repository"],
  ["stale-images", "aws ecr batch-delete-image", "aws_ecr_lifecycle_policy", "AWS::ECR::Repository"],
  ["cross-region-transfer", "aws ce get-cost-and-usage", "aws_ecr_replication_configuration", "AWS::ECR::ReplicationConfiguration"],
  ["selective-replication", "aws ecr put-replication-configuration", "aws_ecr_replication_configuration", "AWS::ECR::ReplicationConfiguration"],
  ["scan-cost-by-environment", "aws ecr put-registry-scanning-configuration", "aws_ecr_registry_scanning_configuration", "AWS::ECR::RegistryScanningConfiguration"],
];

describe("REMEDIATION", () => {
  it("has an entry for every check and nothing else", () => {
    expect(Object.keys(REMEDIATION).sort()).toEqual([...ids].sort());
    expect(RESOURCES.map(([id]) => id).sort()).toEqual([...ids].sort());
  });

  it.each(ids)("%s is complete: summary, console steps, CLI, Terraform, CloudFormation", (id) => {
    const r = REMEDIATION[id];
    expect(r.summary.length).toBeGreaterThan(30);
    expect(r.console.length).toBeGreaterThanOrEqual(2);
    for (const step of r.console) expect(step.trim()).not.toBe("");
    expect(r.console.some((step) => step.length > 40)).toBe(true);
    expect(r.cli).toMatch(/^aws |\naws /);
    expect(r.terraform).toMatch(/resource "aws_[a-z0-9_]+" "[a-z_]+" \{/);
    expect(r.cloudformation).toMatch(/Type: AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/);
    if (r.disruptive !== undefined) expect(r.disruptive.length).toBeGreaterThan(30);
  });

  it.each(RESOURCES)("%s: CLI uses %s, Terraform %s, CloudFormation %s", (id, cli, terraform, cloudformation) => {
    const r = REMEDIATION[id];
    expect(r.cli).toContain(cli);
    expect(r.terraform).toContain(`resource "${terraform}"`);
    expect(r.cloudformation).toContain(`Type: ${cloudformation}`);
  });

  it.each<CheckId>(["kms-encryption", "cmk-encryption"])("%s says encryption cannot be changed on an existing repository", (id) => {
    expect(REMEDIATION[id].disruptive).toMatch(/^Encryption cannot be changed on an existing repository: create a new one and copy the images/);
  });

  it.each<CheckId>(["tag-immutability", "lifecycle-present", "lifecycle-cost-rules", "policy-not-public", "cross-account-trusted", "vpc-endpoints", "stale-images", "selective-replication"])(
    "%s warns that its fix is disruptive",
    (id) => {
      expect(REMEDIATION[id].disruptive).toBeDefined();
    },
  );

  it("tag immutability names the pipelines that re-push a moving tag", () => {
    expect(REMEDIATION["tag-immutability"].disruptive).toMatch(/latest/);
  });

  it("keeps placeholders in angle brackets, never a real-looking account id", () => {
    for (const id of ids) {
      const r = REMEDIATION[id];
      for (const text of [r.cli, r.terraform, r.cloudformation]) expect(text, id).not.toMatch(/\b\d{12}\b/);
    }
    expect(REMEDIATION["tag-immutability"].cli).toContain("--repository-name <repository-name>");
  });
});
