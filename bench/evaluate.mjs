// Benchmark: evaluation of the `scale` sandbox organisation (100 accounts x 4 regions) against
// every framework pack, and the reads behind the compliance pages at that size.
// 1. collects the scale organisation into a fresh database (not timed here: bench/collect.mjs);
// 2. evaluates the run 3 times: decide time (checks and controls only) and the whole evaluation
//    (reading the snapshot, deciding, COPY of the results, roll-up), results per second of each;
// 3. times the queries the matrix page and the control page make, 50 times each (p50, p95).
// Run by hand: node bench/evaluate.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test).
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./evaluate-run.ts");
