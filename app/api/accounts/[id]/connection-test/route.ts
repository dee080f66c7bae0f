import { withRole } from "@/lib/auth/guard";
import { getConnectionTest } from "@/lib/db/aws-accounts";

/** The stored state of an account's last Test connection; the Accounts page polls it while it runs. */
export const GET = withRole(["admin", "security"], async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  if (!/^\d{12}$/.test(id)) return Response.json({ error: "the account id must be exactly 12 digits" }, { status: 400 });
  const stored = await getConnectionTest(id);
  if (!stored) return Response.json({ error: `Account ${id} is not listed` }, { status: 404 });
  return Response.json(stored, { headers: { "Cache-Control": "no-store" } });
});
