# Sessions last one hour at most: Portwatch asks for 3600 seconds and renews 5 minutes early.

resource "aws_iam_role" "member" {
  count                = var.create_member_role ? 1 : 0
  name                 = var.member_role_name
  description          = "Portwatch read-only collector role (external id required)"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  tags                 = var.tags
}

resource "aws_iam_role_policy" "member" {
  count  = var.create_member_role ? 1 : 0
  name   = "PortwatchReadOnly"
  role   = aws_iam_role.member[0].id
  policy = data.aws_iam_policy_document.member.json
}

resource "aws_iam_role" "org_reader" {
  count                = var.create_org_reader ? 1 : 0
  name                 = var.org_reader_role_name
  description          = "Portwatch account discovery (organizations:ListAccounts only; external id required)"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  tags                 = var.tags
}

resource "aws_iam_role_policy" "org_reader" {
  count  = var.create_org_reader ? 1 : 0
  name   = "PortwatchOrgReader"
  role   = aws_iam_role.org_reader[0].id
  policy = data.aws_iam_policy_document.org_reader.json
}

resource "aws_iam_role" "cost_reader" {
  count                = var.create_cost_reader ? 1 : 0
  name                 = var.cost_reader_role_name
  description          = "Portwatch ECR cost (Cost Explorer reads only; external id required)"
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  tags                 = var.tags
}

resource "aws_iam_role_policy" "cost_reader" {
  count  = var.create_cost_reader ? 1 : 0
  name   = "PortwatchCostReader"
  role   = aws_iam_role.cost_reader[0].id
  policy = data.aws_iam_policy_document.cost_reader.json
}
