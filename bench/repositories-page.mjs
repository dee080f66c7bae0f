// Benchmark: the Repositories page's query at 20,000 repositories (plus 20,000 older versions):
// the first and the tenth page for every sort, and the count. Median of 20 runs each.
// Run by hand: node bench/repositories-page.mjs   (results in bench/RESULTS.md)
// Uses DATABASE_URL's server (default postgresql://root@127.0.0.1:5432/test).
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./repositories-page-run.ts");
