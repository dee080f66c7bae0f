import type { CheckId, Remediation } from "../types";
import { interfaceEndpointCli, interfaceEndpointTerraform, interfaceEndpointCloudFormation } from "./templates";

/** The fixes of the region's services the registry checks read: CloudTrail, GuardDuty, VPC endpoints. */
export const REGION_REMEDIATION = {
  "trail-logging": {
    summary: "Record ECR's API calls: a CloudTrail trail covering the region (multi-region, or an organization trail) that is logging and records management events, reads and writes.",
    console: [
      "Open the CloudTrail console and choose Trails (in the management account, an organization trail covers every account).",
      "Start logging on a stopped trail, or choose Create trail: apply to all regions, with an S3 bucket for the logs.",
      "Under Events, select Management events with both Read and Write API activity.",
      "Save, and check that the trail's status is Logging.",
    ],
    cli: `# The bucket needs a policy that lets CloudTrail write (the console creates one for you)
aws cloudtrail create-trail --region <region> --name <trail-name> --s3-bucket-name <bucket-name> --is-multi-region-trail --include-global-service-events
aws cloudtrail put-event-selectors --region <region> --trail-name <trail-name> --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'
aws cloudtrail start-logging --region <region> --name <trail-name>
aws cloudtrail get-trail-status --region <region> --name <trail-name> --query IsLogging`,
    terraform: `resource "aws_cloudtrail" "management" {
  name                          = "<trail-name>"
  s3_bucket_name                = "<bucket-name>"
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}`,
    cloudformation: `ManagementTrail:
  Type: AWS::CloudTrail::Trail
  Properties:
    TrailName: <trail-name>
    S3BucketName: <bucket-name>
    IsLogging: true
    IsMultiRegionTrail: true
    IncludeGlobalServiceEvents: true
    EventSelectors:
      - ReadWriteType: All
        IncludeManagementEvents: true`,
  },

  "guardduty-enabled": {
    summary: "Enable Amazon GuardDuty in the region: create a detector, or re-enable the suspended one.",
    console: [
      "Open the GuardDuty console in the region.",
      "Choose Get started, then Enable GuardDuty; for a suspended detector choose Settings, then Re-enable GuardDuty.",
      "With AWS Organizations, enable it from the delegated administrator account with auto-enable for member accounts.",
    ],
    cli: `aws guardduty list-detectors --region <region>
# No detector: create one
aws guardduty create-detector --region <region> --enable
# A suspended detector: re-enable it
aws guardduty update-detector --region <region> --detector-id <detector-id> --enable`,
    terraform: `resource "aws_guardduty_detector" "this" {
  enable = true
}`,
    cloudformation: `Detector:
  Type: AWS::GuardDuty::Detector
  Properties:
    Enable: true`,
  },

  "vpc-endpoints": {
    summary:
      "Let the VPC reach ECR privately: ecr.api and ecr.dkr interface endpoints with private DNS, available, and an S3 gateway endpoint (image layers are served from S3), all in the same VPC.",
    console: [
      "Open the VPC console in the region and choose Endpoints, then Create endpoint.",
      "Create an interface endpoint for com.amazonaws.<region>.ecr.api and one for com.amazonaws.<region>.ecr.dkr in the workload VPC, in its private subnets, with Enable DNS name selected and a security group that allows HTTPS (443) from the VPC.",
      "Create a gateway endpoint for com.amazonaws.<region>.s3 and associate it with the route tables of the subnets that pull images.",
      "Wait until all three are Available.",
    ],
    cli: `${interfaceEndpointCli("ecr.api")}
${interfaceEndpointCli("ecr.dkr")}
aws ec2 create-vpc-endpoint --region <region> --vpc-id <vpc-id> --vpc-endpoint-type Gateway \\
  --service-name com.amazonaws.<region>.s3 --route-table-ids <route-table-id>`,
    terraform: `${interfaceEndpointTerraform("ecr_api", "ecr.api")}

${interfaceEndpointTerraform("ecr_dkr", "ecr.dkr")}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = "<vpc-id>"
  service_name      = "com.amazonaws.<region>.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["<route-table-id>"]
}`,
    cloudformation: `${interfaceEndpointCloudFormation("EcrApiEndpoint", "ecr.api")}
${interfaceEndpointCloudFormation("EcrDkrEndpoint", "ecr.dkr")}
S3GatewayEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: <vpc-id>
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
    VpcEndpointType: Gateway
    RouteTableIds: [<route-table-id>]`,
    disruptive:
      "With private DNS on, every ECR call in the VPC goes through the endpoints: if their security group does not allow HTTPS (443) from the pulling subnets, or the S3 gateway endpoint is missing from those subnets' route tables, pulls fail. Create the S3 gateway endpoint and check the security group before enabling private DNS.",
  },

} satisfies Partial<Record<CheckId, Remediation>>;
