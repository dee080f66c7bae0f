// Benchmark without a build: the Costs page's reads (lib/db/costs.ts) and shaping (lib/cost/series.ts)
// in this process, on a year of daily rows for 100 accounts (bench/costs-page-data.mjs). 50 runs
// each after a warm-up; p50 and p95. The page itself over HTTP: bench/costs-page.mjs (needs a build).
// Run by hand: node bench/costs-page-queries.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test) for a scratch database.
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./costs-page-queries-run.ts");
