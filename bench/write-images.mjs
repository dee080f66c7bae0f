// Benchmark: how fast the versioned inventory writer puts image rows into PostgreSQL.
// 400 repositories x 500 images (200,000 rows) written as one registry's collection, then the
// same collection again (nothing changed: hashes compared, nothing written), then with 10% of
// the images changed. Run by hand: node bench/write-images.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test).
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./write-images-run.ts");
