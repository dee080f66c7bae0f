import type { FrameworkPack } from "../types";

/**
 * The user's CSA CCM v5.0 rows, unchanged. Their identifiers are the user's own: the published
 * CCM v4 control set numbers these domains differently, so each control carries the published ids
 * (as Prowler maps ECR checks) in its crosswalk.
 */

const CCM_V4 = "CSA CCM v4.0";

export const csaCcmV5: FrameworkPack = {
  id: "csa-ccm-v5",
  name: "Cloud Security Alliance (CSA) Cloud Controls Matrix",
  version: "v5.0",
  description: "Cloud Security Alliance Cloud Controls Matrix controls for Amazon ECR: access, data protection, encryption, logging, vulnerability management and network security.",
  controls: [
    {
      id: "IAM-01",
      title: "Identity and Access Management Policy and Procedures",
      severity: "critical",
      description: "Establish and maintain identity and access management policies for ECR resources",
      implementation: "Platform + IaC - Configure ECR repository policies, IAM roles and policies for ECR access using IaC templates with least privilege principles",
      checks: ["policy-not-public", "cross-account-trusted"],
      attestation: {
        item: "Identity and access management policies and procedures for ECR are documented, approved and reviewed at least yearly: who may push, pull and administer repositories, how that access is granted, reviewed and revoked, and that repository and IAM policies are managed as code with least privilege.",
      },
      crosswalk: [{ framework: CCM_V4, ids: ["IAM-16"] }],
    },
    {
      id: "DSI-01",
      title: "Data Security and Information Lifecycle Management",
      severity: "critical",
      description: "Implement data protection controls for container images and sensitive data",
      implementation: "Platform + User - Enable ECR image scanning, implement encryption at rest and in transit, establish image lifecycle policies",
      checks: ["scan-configured", "kms-encryption", "lifecycle-present"],
      attestation: {
        item: "Data protection procedures for container images are documented and followed: images carry no secrets or sensitive data, are classified by the data they process, and are scanned, encrypted and retired according to those procedures.",
      },
      crosswalk: [{ framework: CCM_V4, ids: ["DSP-02", "DSP-16"] }],
    },
    {
      id: "EKM-01",
      title: "Encryption and Key Management",
      severity: "critical",
      description: "Implement proper encryption and key management for ECR repositories",
      implementation: "Platform + IaC - Configure ECR repositories with KMS encryption using customer-managed keys, implement key rotation policies",
      checks: ["cmk-encryption", "key-rotation"],
      crosswalk: [{ framework: CCM_V4, ids: ["CEK-03"] }],
    },
    {
      id: "LOG-01",
      title: "Audit Logging / Intrusion Detection",
      severity: "high",
      description: "Enable comprehensive logging and monitoring for ECR activities",
      implementation: "Platform + IaC - Enable CloudTrail logging for ECR API calls, configure VPC Flow Logs for ECR endpoints, set up CloudWatch monitoring",
      checks: ["trail-logging"],
      crosswalk: [{ framework: CCM_V4, ids: ["LOG-02", "LOG-08"] }],
    },
    {
      id: "IVS-01",
      title: "Vulnerability / Patch Management",
      severity: "high",
      description: "Implement vulnerability scanning and patch management for container images",
      implementation: "Platform + User - Enable ECR enhanced scanning, implement automated vulnerability remediation workflows, establish image promotion policies",
      checks: ["continuous-scanning", "latest-image-vulns"],
      crosswalk: [{ framework: CCM_V4, ids: ["TVM-07"] }],
    },
    {
      id: "NET-01",
      title: "Network Security",
      severity: "high",
      description: "Implement network security controls for ECR access",
      implementation: "Platform + IaC - Configure VPC endpoints for ECR, implement security groups and NACLs, enable private repository access",
      checks: ["vpc-endpoints"],
      crosswalk: [{ framework: CCM_V4, ids: ["IVS-03", "IVS-09"] }],
    },
  ],
};
