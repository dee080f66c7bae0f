variable "portwatch_principal_arn" {
  description = "The one principal allowed to assume the roles: the IAM role or user Portwatch's collector runs as (Accounts page), or arn:aws:iam::<account>:root."
  type        = string

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9+=,.@_/-]+|user/[A-Za-z0-9+=,.@_/-]+)$", var.portwatch_principal_arn))
    error_message = "portwatch_principal_arn must be an IAM role, user or account-root ARN (no wildcards)."
  }
}

variable "external_id" {
  description = "This Portwatch installation's external id (Accounts page, or externalId in portwatch.config.json)."
  type        = string

  validation {
    condition     = length(var.external_id) >= 2 && length(var.external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/_-]+$", var.external_id))
    error_message = "external_id must be 2-1224 characters of letters, digits and +=,.@:/_-."
  }
}

variable "create_member_role" {
  description = "Create the read-only collector role in this provider's account."
  type        = bool
  default     = true
}

variable "member_role_name" {
  description = "Must match Portwatch's organizations.memberRoleName (or the roleArn listed per account)."
  type        = string
  default     = "PortwatchReadOnly"
}

variable "include_manifest_read" {
  description = "Add ecr:BatchGetImage (image manifests only, never layer content) for layer-accurate repository cost."
  type        = bool
  default     = true
}

variable "create_org_reader" {
  description = "Create PortwatchOrgReader (organizations:ListAccounts). Only in the management account."
  type        = bool
  default     = false
}

variable "org_reader_role_name" {
  type    = string
  default = "PortwatchOrgReader"
}

variable "create_cost_reader" {
  description = "Create PortwatchCostReader (Cost Explorer reads). Only in the management (payer) account."
  type        = bool
  default     = false
}

variable "cost_reader_role_name" {
  type    = string
  default = "PortwatchCostReader"
}

variable "tags" {
  description = "Tags for the roles."
  type        = map(string)
  default     = {}
}
