import type { FrameworkPack } from "../types";

/**
 * The user's NIST 800-53 Rev 5 rows, unchanged. No open-source peer maps ECR checks into NIST
 * 800-53, so which checks decide a control is Portwatch's own mapping, and every control says so;
 * AWS Security Hub publishes a few NIST mappings for its ECR controls, named in the crosswalk.
 */

const OWN = "Portwatch's own mapping: no open-source peer maps ECR checks into NIST 800-53";
const SECURITY_HUB = "AWS Security Hub";

export const nist80053R5: FrameworkPack = {
  id: "nist-800-53-r5",
  name: "NIST 800-53",
  version: "Rev 5",
  description: "NIST SP 800-53 Revision 5 security controls as they apply to Amazon ECR: access enforcement, encryption in transit and at rest, event logging, malicious code protection, monitoring and vulnerability scanning.",
  controls: [
    {
      id: "AC-3",
      title: "Access Enforcement",
      severity: "critical",
      description: "Enforce approved authorizations for logical access to ECR resources",
      implementation: "Platform + IaC - Implement resource-based policies on ECR repositories, configure cross-account access controls, use IAM conditions for fine-grained access",
      checks: ["policy-not-public", "cross-account-trusted"],
      mappingNote: OWN,
    },
    {
      id: "SC-8",
      title: "Transmission Confidentiality and Integrity",
      severity: "critical",
      description: "Protect the confidentiality and integrity of transmitted information",
      implementation: "Platform - Ensure HTTPS/TLS encryption for all ECR API communications, configure Docker clients for secure registry communication",
      checks: ["tls-in-transit"],
      mappingNote: OWN,
    },
    {
      id: "SC-28",
      title: "Protection of Information at Rest",
      severity: "critical",
      description: "Protect the confidentiality and integrity of information at rest",
      implementation: "Platform + IaC - Enable ECR encryption at rest using AWS KMS, implement server-side encryption for all repositories",
      checks: ["kms-encryption"],
      crosswalk: [{ framework: SECURITY_HUB, ids: ["ECR.5"] }],
      mappingNote: "Partly published: AWS Security Hub maps ECR.5 (customer managed KMS keys) to SC-28; deciding SC-28 with kms-encryption (any KMS key) is Portwatch's own mapping",
    },
    {
      id: "AU-2",
      title: "Event Logging",
      severity: "high",
      description: "Ensure that auditable events are being logged",
      implementation: "Platform + IaC - Configure CloudTrail to log ECR API events, enable ECR repository access logging, implement log aggregation",
      checks: ["trail-logging"],
      mappingNote: OWN,
    },
    {
      id: "SI-3",
      title: "Malicious Code Protection",
      severity: "high",
      description: "Implement malicious code protection mechanisms",
      implementation: "Platform + User - Enable ECR image scanning for malware detection, implement admission controllers for Kubernetes clusters",
      checks: ["scan-configured"],
      attestation: {
        item: "Every Kubernetes cluster that runs images from these registries enforces admission control that admits only images from approved ECR repositories that were scanned, and blocks images with findings at or above the vulnerability threshold.",
      },
      mappingNote: OWN,
    },
    {
      id: "SI-4",
      title: "System Monitoring",
      severity: "high",
      description: "Monitor the system to detect attacks and indicators of potential attacks",
      implementation: "Platform + IaC - Configure CloudWatch metrics for ECR, set up GuardDuty for threat detection, implement automated alerting",
      checks: ["guardduty-enabled", "continuous-scanning"],
      mappingNote: OWN,
    },
    {
      id: "RA-5",
      title: "Vulnerability Monitoring and Scanning",
      severity: "medium",
      description: "Monitor and scan for vulnerabilities and remediate them",
      implementation: "Platform + User - Enable ECR enhanced scanning with Inspector integration, implement vulnerability management workflows",
      checks: ["continuous-scanning", "latest-image-vulns"],
      crosswalk: [{ framework: SECURITY_HUB, ids: ["ECR.1"] }],
      mappingNote: "Partly published: AWS Security Hub maps ECR.1 (image scanning configured) to RA-5; deciding RA-5 with continuous-scanning and latest-image-vulns is Portwatch's own mapping",
    },
  ],
};
