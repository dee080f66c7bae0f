import type { Role } from "@/lib/auth/roles";

/** Who may read the audit log (page and CSV). */
export const AUDIT_LOG_READERS: readonly Role[] = ["admin", "security", "auditor"];
