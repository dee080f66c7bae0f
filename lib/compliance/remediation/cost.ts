import type { CheckId, Remediation } from "../types";
import { KEEP_NEWEST_TEN, EXPIRE_UNPULLED, oneRuleLifecycleTerraform, oneRuleLifecycleCloudFormation, scanRules, registryScanningTerraform, registryScanningCloudFormation, PUT_REPLICATION_CLI, REPLICATION_TERRAFORM, REPLICATION_CLOUDFORMATION } from "./templates";

/** The fixes of the ECR cost controls (COST-02 to COST-06). */
export const COST_REMEDIATION = {
  "image-size": {
    summary:
      "Make the latest image smaller and flatter: multi-stage builds, a minimal base image (distroless, alpine, slim), fewer layers, and no build tools, caches or test data in the final stage.",
    console: [
      "Open the Amazon ECR console, select the repository, and sort the images by size to find the largest.",
      "Inspect the image's layers (docker history, dive) to find what makes it large.",
      "Rewrite the Dockerfile as a multi-stage build that copies only the runtime artifacts onto a minimal base image; combine RUN steps and clean package caches in the same step.",
      "Rebuild, push, and compare the new image's size in the console.",
    ],
    cli: `# The largest images of the repository
aws ecr describe-images --region <region> --repository-name <repository-name> \\
  --query 'reverse(sort_by(imageDetails,&imageSizeInBytes))[:5].[imageTags[0],imageSizeInBytes,imagePushedAt]' --output table
# The latest image's layers and their sizes
aws ecr batch-get-image --region <region> --repository-name <repository-name> --image-ids imageTag=<tag> \\
  --accepted-media-types application/vnd.oci.image.manifest.v1+json application/vnd.docker.distribution.manifest.v2+json \\
  --query 'images[0].imageManifest' --output text`,
    terraform: `# Image size is decided by the Dockerfile, not by ECR settings. A multi-stage build, for example:
#   FROM golang:1.23 AS build
#   WORKDIR /src
#   COPY . .
#   RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app
#   FROM gcr.io/distroless/static-debian12
#   COPY --from=build /out/app /app
#   ENTRYPOINT ["/app"]
# Keep old large images from piling up meanwhile:
${oneRuleLifecycleTerraform(KEEP_NEWEST_TEN)}`,
    cloudformation: `# Image size is decided by the Dockerfile, not by ECR settings (see the multi-stage example in the Terraform tab).
# Keep old large images from piling up meanwhile:
${oneRuleLifecycleCloudFormation(KEEP_NEWEST_TEN)}`,
  },

  "stale-images": {
    summary:
      "Delete images nobody pushes or pulls any more: review them, delete what is not needed, and add a lifecycle rule that expires images not pulled for the configured number of days.",
    console: [
      "Open the Amazon ECR console, select the repository, and sort the images by Last recorded pull time.",
      "Delete the images that no deployment or rollback needs (select them, then Delete).",
      "Choose Lifecycle Policy and add a rule: Any, Since image pulled, 90 days, expire (as the last rule).",
      "Preview with Edit test rules, then apply.",
    ],
    cli: `# Images neither pulled nor pushed since <cutoff> (ISO date)
aws ecr describe-images --region <region> --repository-name <repository-name> \\
  --query "imageDetails[?(!lastRecordedPullTime || lastRecordedPullTime < '<cutoff>') && imagePushedAt < '<cutoff>'].[imageDigest,imageTags[0],imageSizeInBytes]" --output table
aws ecr batch-delete-image --region <region> --repository-name <repository-name> --image-ids imageDigest=<image-digest>
# Keep it that way
cat > lifecycle-policy.json <<'EOF'
{ "rules": [ { "rulePriority": 10, "description": "Expire images not pulled for 90 days",
  "selection": { "tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90 },
  "action": { "type": "expire" } } ] }
EOF
aws ecr put-lifecycle-policy --region <region> --repository-name <repository-name> --lifecycle-policy-text file://lifecycle-policy.json`,
    terraform: oneRuleLifecycleTerraform(EXPIRE_UNPULLED),
    cloudformation: oneRuleLifecycleCloudFormation(EXPIRE_UNPULLED),
    disruptive: "Deleted images cannot be restored: an old release kept only for a rare rollback (and never pulled) is deleted too. Exclude such tags or keep them in another repository.",
  },

  "cross-region-transfer": {
    summary:
      "Pull images in the region where they run: create the repository in each region with workloads, or replicate the repositories those workloads use (with repository filters), and point the workloads at their regional repository URI.",
    console: [
      "In Cost Explorer, filter Service to Amazon EC2 Container Registry (ECR) and group by Usage type to see which <source>-<destination>-AWS-Out-Bytes usage types cost most.",
      "For each destination region with workloads, add a replication rule (Amazon ECR console, Private registry, Replication) limited by a prefix filter to the repositories they pull, or push to a repository in that region from CI.",
      "Change the workloads' image URIs to <account-id>.dkr.ecr.<destination-region>.amazonaws.com/<repository-name>.",
      "Check the inter-region usage types fall over the next days.",
    ],
    cli: `# Where the inter-region transfer comes from (last month)
aws ce get-cost-and-usage --time-period Start=<yyyy-mm-dd>,End=<yyyy-mm-dd> --granularity MONTHLY --metrics UnblendedCost \\
  --filter '{"Dimensions":{"Key":"SERVICE","Values":["Amazon EC2 Container Registry (ECR)"]}}' --group-by Type=DIMENSION,Key=USAGE_TYPE
# Replicate the repositories the destination's workloads pull (this replaces the registry's replication configuration)
${PUT_REPLICATION_CLI}`,
    terraform: REPLICATION_TERRAFORM,
    cloudformation: REPLICATION_CLOUDFORMATION,
  },

  "selective-replication": {
    summary: "Replicate only what the destination needs: give every replication rule at least one PREFIX_MATCH repository filter.",
    console: [
      "Open the Amazon ECR console, choose Private registry, then Feature & Settings, then Replication.",
      "Edit each rule that has no filter and add repository filters (prefixes) for the repositories the destination region or account pulls.",
      "Save, then delete the repositories the destination no longer needs there (they are billed until deleted).",
    ],
    cli: `aws ecr describe-registry --region <region> --query replicationConfiguration
# The configuration is replaced as a whole: repeat every rule, each with its filters
${PUT_REPLICATION_CLI}
# Remove what was replicated but is no longer wanted, in the destination region
aws ecr delete-repository --region <destination-region> --repository-name <repository-name> --force`,
    terraform: REPLICATION_TERRAFORM,
    cloudformation: REPLICATION_CLOUDFORMATION,
    disruptive:
      "Repositories the filters leave out stop replicating: workloads in the destination that pull them get no new images there. Copies already replicated stay, and are billed, until you delete them.",
  },

  "scan-cost-by-environment": {
    summary:
      "Pay for enhanced (Inspector) scanning where it matters: production registries scan production repositories on push or continuously; development registries use basic scanning, or their enhanced rules leave development repositories out.",
    console: [
      "Open the Amazon ECR console in the development account, choose Private registry, then Feature & Settings, then Scanning.",
      "Choose Basic scanning with a Scan on push rule, or keep Enhanced scanning with rule filters that match only the repositories that need it (for example prod*).",
      "In production registries, make sure every production repository is matched by a Scan on push or Continuous scanning rule.",
      "Save.",
    ],
    cli: `# A development registry: basic scan on push (free)
aws ecr put-registry-scanning-configuration --region <region> --scan-type BASIC --rules ${scanRules("SCAN_ON_PUSH")}
# A production registry: continuous scanning for production repositories only
aws ecr put-registry-scanning-configuration --region <region> --scan-type ENHANCED \\
  --rules ${scanRules("CONTINUOUS_SCAN", "prod*")}`,
    terraform: `# Development accounts
${registryScanningTerraform("dev", "BASIC", "SCAN_ON_PUSH")}`,
    cloudformation: `# Development accounts
${registryScanningCloudFormation("BASIC", "SCAN_ON_PUSH")}`,
  },
} satisfies Partial<Record<CheckId, Remediation>>;
