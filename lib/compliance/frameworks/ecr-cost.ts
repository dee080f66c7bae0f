import type { FrameworkPack } from "../types";

/** The user's ECR cost controls, unchanged. */
export const ecrCost: FrameworkPack = {
  id: "ecr-cost",
  name: "AWS ECR Cost Optimization Best Practices",
  version: "2023",
  description: "Cost controls for Amazon ECR: lifecycle policies, image size, usage monitoring, regional repositories, selective replication and scanning scope.",
  controls: [
    {
      id: "COST-01",
      title: "Implement Repository Lifecycle Policies",
      severity: "high",
      description: "Configure lifecycle policies to automatically delete unused and old container images to reduce storage costs",
      implementation: "Platform + IaC - Set up lifecycle rules to delete untagged images after 1 day and keep only the latest 10 tagged images per repository",
      checks: ["lifecycle-cost-rules"],
    },
    {
      id: "COST-02",
      title: "Optimize Image Size and Layers",
      severity: "high",
      description: "Minimize container image size and optimize layers to reduce storage and data transfer costs",
      implementation: "User - Use multi-stage builds, minimize base images, combine RUN commands, and remove unnecessary packages and files",
      checks: ["image-size"],
    },
    {
      id: "COST-03",
      title: "Monitor and Analyze Repository Usage",
      severity: "medium",
      description: "Regularly monitor repository usage and costs to identify optimization opportunities",
      implementation: "Platform + User - Use CloudWatch metrics and AWS Cost Explorer to track ECR usage patterns and storage costs",
      checks: ["stale-images"],
      attestation: {
        item: "ECR usage and cost are reviewed at least monthly (Cost Explorer, CloudWatch or Portwatch's cost pages) by a named owner, and the optimisation opportunities found are tracked to a decision.",
      },
    },
    {
      id: "COST-04",
      title: "Use Regional Repositories",
      severity: "medium",
      description: "Deploy ECR repositories in the same region as compute resources to minimize data transfer costs",
      implementation: "Platform + IaC - Create ECR repositories in regions where container workloads are deployed to avoid cross-region data transfer charges",
      checks: ["cross-region-transfer"],
    },
    {
      id: "COST-05",
      title: "Implement Image Replication Strategy",
      severity: "medium",
      description: "Use ECR replication rules strategically to balance availability and cost",
      implementation: "Platform + IaC - Configure selective replication rules based on image tags or repository filters rather than replicating all images",
      checks: ["selective-replication"],
    },
    {
      id: "COST-06",
      title: "Optimize Scanning Costs",
      severity: "low",
      description: "Balance security scanning needs with cost by optimizing scanning frequency and scope",
      implementation: "Platform + User - Enable scan-on-push for production images only, use basic scanning for development repositories unless enhanced scanning is required",
      checks: ["scan-cost-by-environment"],
    },
  ],
};
