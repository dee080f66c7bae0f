import type { RepositoryCheck } from "../types";
import { latestImageToJudge } from "./latest-image";
import { monthlyUsd, storagePriceFor } from "@/lib/cost/pricing";
import { fail, gib, pass, unreadable, usdPerMonth } from "./result";

/**
 * COST-02: the latest image stays small (storage, transfer and cold-start time all grow with it).
 * Size is ECR's compressed imageSizeInBytes; the layer count comes from the manifest, judged only
 * where it was read (CONTROLS.md). When reading it failed and the size alone passes, the result
 * is ERROR: the layer half of the check is unknown.
 */

const LARGEST_LAYERS = 3;

export const imageSize: RepositoryCheck = {
  id: "image-size",
  scope: "repository",
  evaluate(repo, _registry, ctx) {
    const latest = latestImageToJudge(repo);
    if ("result" in latest) return latest.result;
    const { image } = latest;

    const { maxImageBytes, maxImageLayers } = ctx.settings;
    const layers = image.layers;
    const largest = layers
      ? [...layers]
          .sort((a, b) => b.size - a.size)
          .slice(0, LARGEST_LAYERS)
          .map((l) => ({ digest: l.digest, size: l.size }))
      : null;
    const evidence = {
      digest: image.digest,
      tags: image.tags.slice(0, 10),
      pushedAt: image.pushedAt.toISOString(),
      sizeBytes: image.sizeBytes,
      layerCount: layers?.length ?? null,
      largestLayers: largest,
      maxImageBytes,
      maxImageLayers,
      monthlyStorageUsd: monthlyUsd(image.sizeBytes, storagePriceFor(repo.region, ctx.settings)),
    };
    const name = image.tags[0] ?? image.digest.slice(0, 19);
    const size = `${gib(image.sizeBytes)} (${image.sizeBytes} bytes)`;

    const problems: string[] = [];
    if (image.sizeBytes > maxImageBytes) problems.push(`is ${size}, above ${gib(maxImageBytes)}`);
    if (layers && layers.length > maxImageLayers) problems.push(`has ${layers.length} layers, above ${maxImageLayers}`);
    if (problems.length > 0) {
      const biggest = largest?.[0] ? `; its largest layer is ${gib(largest[0].size)}` : "";
      // Every version pushed at this size is stored again (less what its layers share with the last).
      return fail(`The latest image ${name} ${problems.join(" and ")}${biggest}; each copy kept costs about ${usdPerMonth(evidence.monthlyStorageUsd)} to store`, evidence);
    }
    if (!layers) {
      const manifestFailure = unreadable(repo.readErrors, ["BatchGetImage"], evidence);
      if (manifestFailure) return manifestFailure;
      return pass(`The latest image ${name} is ${size}, within ${gib(maxImageBytes)} (its manifest was not read, so its layers were not counted)`, evidence);
    }
    return pass(`The latest image ${name} is ${size} in ${layers.length} layers, within ${gib(maxImageBytes)} and ${maxImageLayers} layers`, evidence);
  },
};
