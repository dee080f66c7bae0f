import type { Role } from "@/lib/auth/roles";

/** Who may read what repositories cost and what could be saved (the cost pages, their CSVs, the repository page's cost section). */
export const COST_READERS: readonly Role[] = ["admin", "finops", "security"];
