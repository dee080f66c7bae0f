import type { LifecyclePolicy } from "./types";

/** A validated policy written back out: as ECR's JSON, as AWS CLI commands, as Terraform. Nothing here applies anything. */

/** The policy as ECR's JSON: only the fields a rule sets (no nulls, no default storage class). */
export function lifecyclePolicyDocument(policy: LifecyclePolicy): { rules: Record<string, unknown>[] } {
  return {
    rules: policy.rules.map((rule) => {
      const s = rule.selection;
      const selection: Record<string, unknown> = { tagStatus: s.tagStatus };
      if (s.tagPatternList) selection.tagPatternList = s.tagPatternList;
      if (s.tagPrefixList) selection.tagPrefixList = s.tagPrefixList;
      if (s.storageClass !== "standard") selection.storageClass = s.storageClass;
      selection.countType = s.countType;
      if (s.countUnit) selection.countUnit = s.countUnit;
      selection.countNumber = s.countNumber;
      return { rulePriority: rule.rulePriority, ...(rule.description ? { description: rule.description } : {}), selection, action: { ...rule.action } };
    }),
  };
}

export function lifecyclePolicyJson(policy: LifecyclePolicy): string {
  return JSON.stringify(lifecyclePolicyDocument(policy), null, 2);
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'"'"'`)}'`;

/** AWS CLI commands that preview, then apply, the policy (nothing here runs them). */
export function lifecyclePolicyCli(policy: LifecyclePolicy, target: { repositoryName: string; region: string; registryId?: string }): string {
  const where = `--region ${target.region}${target.registryId ? ` --registry-id ${target.registryId}` : ""} --repository-name ${shellQuote(target.repositoryName)}`;
  return [
    "cat > lifecycle-policy.json <<'EOF'",
    lifecyclePolicyJson(policy),
    "EOF",
    "# Ask ECR what the policy would expire before applying it",
    `aws ecr start-lifecycle-policy-preview ${where} --lifecycle-policy-text file://lifecycle-policy.json`,
    `aws ecr get-lifecycle-policy-preview ${where}`,
    `aws ecr put-lifecycle-policy ${where} --lifecycle-policy-text file://lifecycle-policy.json`,
  ].join("\n");
}

function hcl(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => hcl(v, indent)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const inner = `${indent}  `;
    const entries = Object.entries(value as Record<string, unknown>);
    const width = Math.max(...entries.map(([k]) => k.length));
    return `{\n${entries.map(([k, v]) => `${inner}${k.padEnd(width)} = ${hcl(v, inner)}`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A Terraform aws_ecr_lifecycle_policy resource holding the policy. */
export function lifecyclePolicyTerraform(policy: LifecyclePolicy, repositoryName: string): string {
  const rules = lifecyclePolicyDocument(policy).rules.map((rule) => `      ${hcl(rule, "      ")},`).join("\n");
  return [
    `resource "aws_ecr_lifecycle_policy" "this" {`,
    `  repository = ${JSON.stringify(repositoryName)}`,
    "",
    "  policy = jsonencode({",
    "    rules = [",
    rules,
    "    ]",
    "  })",
    "}",
  ].join("\n");
}
