import "server-only";
import { getDb } from "./client";

/** Facts about this installation kept in the Setting table but not editable as settings. */

const PRINCIPAL_KEY = "portwatchPrincipal";

/** The AWS principal Portwatch's base credentials belong to, as last seen by a worker. */
export async function getPortwatchPrincipal(): Promise<string | null> {
  const row = await getDb().setting.findUnique({ where: { key: PRINCIPAL_KEY }, select: { value: true } });
  return typeof row?.value === "string" ? row.value : null;
}

export async function recordPortwatchPrincipal(principal: string): Promise<void> {
  await getDb().setting.upsert({ where: { key: PRINCIPAL_KEY }, create: { key: PRINCIPAL_KEY, value: principal }, update: { value: principal } });
}
