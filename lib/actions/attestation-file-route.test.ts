import { describe, expect, it, vi } from "vitest";
import { createAttestation } from "@/lib/db/attestations";
import { getDb } from "@/lib/db/client";
import type { SessionUser } from "@/lib/db/sessions";
import { withTestDatabase } from "@/test/database";
import { sessionUser } from "@/test/session";

// The attestation file download as a browser calls it: the route checks the session and role
// itself, never lets a stored file render in our origin, and records each download.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => session.user }));

const { GET } = await import("@/app/api/attestations/[id]/file/route");

withTestDatabase();

const as = sessionUser;
const download = (id: string) => GET(new Request(`http://localhost/api/attestations/${id}/file`), { params: Promise.resolve({ id }) });

async function attestation(file: { name: string; type: string; data: Buffer } | null) {
  return createAttestation({ framework: "csa-ccm-v5", control: "IAM-01", text: "Quarterly access review of ECR policies", expiresAt: new Date(Date.now() + 86_400_000), file }, { id: null, email: "lead@example.com" });
}

describe("GET /api/attestations/[id]/file", () => {
  it("serves the file to admin, security and auditor as an attachment that cannot render here, and audits it", async () => {
    const { id } = await attestation({ name: "review \"Q3\".html", type: "text/html", data: Buffer.from("<script>alert(1)</script>") });
    for (const role of ["admin", "security", "auditor"] as const) {
      session.user = as(role);
      const res = await download(id);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("<script>alert(1)</script>");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="review _Q3_.html"; filename\*=UTF-8''review%20%22Q3%22.html$/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toContain("sandbox");
    }
    expect(await getDb().auditLog.count({ where: { action: "attestation.download", targetId: id } })).toBe(3);
  });

  it("refuses finops (403) and anonymous callers (401), serving nothing and auditing nothing", async () => {
    const { id } = await attestation({ name: "a.pdf", type: "application/pdf", data: Buffer.from("%PDF-1.7") });
    for (const [user, status] of [[as("finops"), 403], [null, 401]] as const) {
      session.user = user;
      const res = await download(id);
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain("%PDF");
    }
    expect(await getDb().auditLog.count({ where: { action: "attestation.download", targetId: id } })).toBe(0);
  });

  it("answers 404 with a message for a malformed id, an unknown one, or an attestation without a file", async () => {
    session.user = as("security");
    const { id } = await attestation(null);
    for (const target of ["../../etc/passwd", "x".repeat(5000), "abcdefghijklmnopqrstuvwx", id]) {
      const res = await download(target);
      expect(res.status).toBe(404);
      expect((await res.json()).error).toMatch(/attestation/);
    }
  });
});
