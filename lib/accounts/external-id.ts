import { randomBytes } from "node:crypto";

/**
 * The external id every member role's trust policy demands (sts:ExternalId): one per
 * installation, so another Portwatch (or anyone else) that learns a role ARN cannot assume it.
 * 80 random bits; "pw-" makes it recognisable in a trust policy.
 */
export function generateExternalId(): string {
  return `pw-${randomBytes(10).toString("hex")}`;
}
