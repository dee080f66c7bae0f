output "member_role_arn" {
  description = "Portwatch's accounts[].roleArn for this account (null when not created)."
  value       = var.create_member_role ? aws_iam_role.member[0].arn : null
}

output "org_reader_role_arn" {
  description = "Portwatch's organizations.roleArn (null when not created)."
  value       = var.create_org_reader ? aws_iam_role.org_reader[0].arn : null
}

output "cost_reader_role_arn" {
  description = "Portwatch's costExplorer.roleArn (null when not created)."
  value       = var.create_cost_reader ? aws_iam_role.cost_reader[0].arn : null
}
