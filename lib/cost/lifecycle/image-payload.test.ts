import { describe, expect, it } from "vitest";
import { fromImagePayload, toImagePayload } from "./image-payload";
import type { LifecycleImage } from "./types";

const base = { digest: "sha256:a", tags: ["v1"], sizeBytes: 300, pushedAt: new Date("2026-10-01T10:00:00Z"), lastPulledAt: null };

describe("image payload", () => {
  it("sends each distinct layer once and gives back the same images", () => {
    const shared = { digest: "sha256:base", size: 200 };
    const images: LifecycleImage[] = [
      { ...base, layers: [shared, { digest: "sha256:app1", size: 100 }] },
      { ...base, digest: "sha256:b", tags: [], lastPulledAt: new Date("2026-11-01T00:00:00Z"), layers: [shared, { digest: "sha256:app2", size: 50 }] },
      { ...base, digest: "sha256:sig", tags: ["sha256-a.sig"], sizeBytes: 900, layers: null, layersReadable: false, storageClass: "ARCHIVE", transitionedAt: new Date("2026-11-02T00:00:00Z") },
    ];
    const payload = toImagePayload(images);
    expect(payload.layerDigests).toEqual(["sha256:base", "sha256:app1", "sha256:app2"]);
    expect(payload.images[1].layers).toEqual([0, 2]);
    // What crosses to the browser is plain JSON.
    const back = fromImagePayload(JSON.parse(JSON.stringify(payload)));
    expect(back).toEqual(images);
  });
});
