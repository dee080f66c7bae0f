import "server-only";
import type { LifecycleImage } from "@/lib/cost/lifecycle/types";
import { hasReadableLayers } from "@/lib/cost/stored-bytes";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getDb } from "./client";
import { inSnapshot } from "./snapshot";

/**
 * A repository's images as the lifecycle simulator needs them, from one run's snapshot: what
 * `portwatch lifecycle preview --repository` and the repository page's what-if editor simulate.
 */

export interface RepositoryLifecycleImages {
  region: string;
  /** The policy text ECR returned; null when none is set (or it could not be read). */
  lifecyclePolicy: string | null;
  /** Newest push first. */
  images: LifecycleImage[];
  /** Images left out by `limit` (the oldest ones). */
  omitted: number;
}

/** The layers column as the collector wrote it (LayerRecord[]); null when absent or malformed. */
function toLayers(value: Prisma.JsonValue | null): { digest: string; size: number }[] | null {
  if (!Array.isArray(value)) return null;
  const layers: { digest: string; size: number }[] = [];
  for (const layer of value) {
    if (!layer || typeof layer !== "object" || Array.isArray(layer)) return null;
    const { digest, size } = layer as Record<string, unknown>;
    if (typeof digest !== "string" || typeof size !== "number") return null;
    layers.push({ digest, size });
  }
  return layers;
}

/**
 * The repository's images in run `runId`'s snapshot (all of them, or the newest `limit`); null
 * when the repository is not in that snapshot. The inventory holds no storage class yet, so every
 * image is read as standard storage.
 */
export async function getLifecycleImages({ runId, repositoryArn, limit }: { runId: number; repositoryArn: string; limit?: number }): Promise<RepositoryLifecycleImages | null> {
  const repository = await getDb().repository.findFirst({
    where: { arn: repositoryArn, deletedAt: null, ...inSnapshot(runId) },
    select: { region: true, lifecyclePolicy: true },
  });
  if (!repository) return null;
  const where = { repositoryArn, deletedAt: null, ...inSnapshot(runId) };
  const take = limit === undefined ? undefined : Math.max(1, Math.trunc(limit));
  const [rows, total] = await Promise.all([
    getDb().image.findMany({
      where,
      orderBy: [{ pushedAt: "desc" }, { digest: "asc" }],
      take,
      select: { digest: true, tags: true, sizeBytes: true, pushedAt: true, lastPulledAt: true, manifestMediaType: true, artifactMediaType: true, layers: true },
    }),
    take === undefined ? Promise.resolve(null) : getDb().image.count({ where }),
  ]);
  const images = rows.map((row): LifecycleImage => ({
    digest: row.digest,
    tags: row.tags,
    sizeBytes: Number(row.sizeBytes),
    pushedAt: row.pushedAt,
    lastPulledAt: row.lastPulledAt,
    storageClass: "STANDARD",
    transitionedAt: null,
    layers: toLayers(row.layers),
    layersReadable: hasReadableLayers(row),
  }));
  return { region: repository.region, lifecyclePolicy: repository.lifecyclePolicy, images, omitted: total === null ? 0 : Math.max(0, total - images.length) };
}
