// Benchmark: the lifecycle simulator (lib/cost/lifecycle/simulate.ts) over one repository of
// 100,000 generated images, the ECR per-repository image quota, with a realistic 4-rule policy.
// Two sets: half the images with their layers read (freed bytes an upper bound, as when
// BatchGetImage was denied for some), then every image with layers (the exact, layer-set path).
// 20 timed repetitions each after 5 warm-up runs; prints min / median / p95. Target: < 200 ms.
// Run by hand: node bench/lifecycle.mjs   (results in bench/RESULTS.md)
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { simulateLifecycle } = await import("../lib/cost/lifecycle/simulate.ts");
const { validateLifecyclePolicy } = await import("../lib/cost/lifecycle/validate-policy.ts");

const IMAGES = 100_000;
const WARM_UP = 5;
const RUNS = 20;
const DAY = 86_400_000;
const AT = new Date("2026-11-28T12:00:00Z");

const validation = validateLifecyclePolicy(
  JSON.stringify({
    rules: [
      { rulePriority: 1, description: "Keep the newest 50 releases", selection: { tagStatus: "tagged", tagPatternList: ["release-*", "v*.*.*"], countType: "imageCountMoreThan", countNumber: 50 }, action: { type: "expire" } },
      { rulePriority: 2, description: "Expire untagged images after 7 days", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } },
      { rulePriority: 3, description: "Archive feature builds nobody pulled for 90 days", selection: { tagStatus: "tagged", tagPrefixList: ["feature-"], countType: "sinceImagePulled", countUnit: "days", countNumber: 90 }, action: { type: "transition", targetStorageClass: "archive" } },
      { rulePriority: 4, description: "Keep the newest 5000 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 5000 }, action: { type: "expire" } },
    ],
  }),
);
if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
const policy = validation.policy;

// Deterministic pseudo-random numbers (mulberry32): the same images every run.
let state = 42;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let x = Math.imul(state ^ (state >>> 15), 1 | state);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
}

const hex = (prefix, n) => `sha256:${prefix}${n.toString(16).padStart(64 - prefix.length, "0")}`;

function generate(withLayers) {
  const bases = Array.from({ length: 6 }, (_, i) => ({ digest: hex("ba5e", i), size: 30_000_000 + i * 1_000_000 }));
  const raw = [];
  for (let i = 0; i < IMAGES; i++) {
    const kind = random();
    const tags = kind < 0.3 ? [] : kind < 0.55 ? [`release-${i}`, `v1.${i % 100}.${i % 10}`] : kind < 0.85 ? [`feature-${i % 700}-${i}`] : [`sha-${i.toString(16)}`, "nightly"];
    const layers = [bases[i % bases.length], { digest: hex("de95", Math.floor(i / 5)), size: 40_000_000 }, { digest: hex("a99", i), size: 5_000_000 + (i % 1000) * 1000 }];
    const pushedAt = AT.getTime() - Math.floor(random() * 700 * DAY);
    raw.push({
      digest: hex("", i),
      tags,
      sizeBytes: layers.reduce((sum, l) => sum + l.size, 0),
      pushedAt,
      lastPulledAt: random() < 0.4 ? pushedAt + Math.floor(random() * (AT.getTime() - pushedAt)) : null,
      layers: withLayers(i) ? layers : null,
    });
  }
  // Through JSON and an object literal, as lib/db/lifecycle-images.ts builds them from the
  // database's rows: every string its own copy, nothing shared between images.
  return JSON.parse(JSON.stringify(raw)).map((image) => ({
    digest: image.digest,
    tags: image.tags,
    sizeBytes: image.sizeBytes,
    pushedAt: new Date(image.pushedAt),
    lastPulledAt: image.lastPulledAt === null ? null : new Date(image.lastPulledAt),
    storageClass: "STANDARD",
    transitionedAt: null,
    layers: image.layers,
  }));
}

function measure(label, images) {
  const options = { at: AT, storageUsdPerGbMonth: 0.1, archiveUsdPerGbMonth: 0.01 };
  let result;
  for (let i = 0; i < WARM_UP; i++) result = simulateLifecycle(policy, images, options);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = simulateLifecycle(policy, images, options);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  const t = result.totals;
  console.log(
    `${label}: min ${times[0].toFixed(1)} ms, median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms` +
      `  (${t.expired} expire, ${t.transitioned} transition, ${t.kept} keep; freed ${(t.freedBytes / 1024 ** 3).toFixed(1)} GiB ${t.freedBytesExact ? "exact" : "upper bound"})`,
  );
}

console.log(`simulateLifecycle, ${IMAGES.toLocaleString("en")} images, ${policy.rules.length} rules, ${RUNS} runs after ${WARM_UP} warm-up (Node ${process.versions.node})`);
measure("half the images with layers", generate((i) => i % 2 === 0));
measure("every image with layers     ", generate(() => true));
