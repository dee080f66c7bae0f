/** Roles, in one place, with what each is for (shown on Settings → Users). */
export const ROLES = ["admin", "security", "finops", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including users, accounts and settings",
  security: "Compliance, vulnerabilities, exceptions and security settings",
  finops: "Costs, forecasts and lifecycle savings",
  auditor: "Read-only access to results and evidence exports",
};

export const ANY_ROLE: readonly Role[] = ROLES;

/** Who may see what ECR costs and what could be saved (the cost pages, their CSVs, a repository's cost): not auditors, whose scope is results and evidence. */
/** Who may make, download and verify evidence exports: FinOps has no part in audits. */
export const EVIDENCE_ROLES: readonly Role[] = ["admin", "security", "auditor"];

export const COST_READERS: readonly Role[] = ["admin", "finops", "security"];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
