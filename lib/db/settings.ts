import "server-only";
import { isDeepStrictEqual } from "node:util";
import { parseSetting, SETTING_KEYS, type SettingKey, type Settings, type SettingValue } from "@/lib/settings";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, writeAudit } from "./audit";
import { getDb } from "./client";

export async function getSettings(): Promise<Settings> {
  const rows = await getDb().setting.findMany({ select: { key: true, value: true } });
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, parseSetting(key, stored.get(key))])) as Settings;
}

/** Writes the settings that changed, each with an audit entry, in one transaction. */
export async function updateSettings(changes: Partial<Settings>, actor: Actor): Promise<SettingKey[]> {
  const current = await getSettings();
  const changed = (Object.keys(changes) as SettingKey[]).filter(
    (key) => changes[key] !== undefined && !isDeepStrictEqual(changes[key], current[key]),
  );
  if (changed.length === 0) return [];
  await getDb().$transaction(async (tx) => {
    for (const key of changed) {
      const value = changes[key] as SettingValue<typeof key> as Prisma.InputJsonValue;
      await tx.setting.upsert({
        where: { key },
        create: { key, value, updatedById: actor.id },
        update: { value, updatedById: actor.id },
      });
      await writeAudit(tx, actor, {
        action: "setting.update",
        targetType: "setting",
        targetId: key,
        details: { from: current[key] as Prisma.InputJsonValue, to: value },
      });
    }
  });
  return changed;
}
