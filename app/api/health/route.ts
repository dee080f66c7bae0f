import { getDb } from "@/lib/db/client";

/**
 * Liveness and database reachability for load balancers. Public on purpose: it says only
 * "ok" or "unavailable", nothing about the data.
 */
export async function GET(): Promise<Response> {
  try {
    await getDb().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
