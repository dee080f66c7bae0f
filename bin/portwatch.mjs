#!/usr/bin/env -S node --max-old-space-size=384
// The `portwatch` command. Runs the TypeScript sources in cli/ through tsx, with `server-only`
// resolved as on the server (lib/db is server-only code, and the CLI is a server).
// The heap bound: the collector's live set is small (about 70 MB with 96 targets at once), but an
// unbounded V8 heap grows to several times that between collections (bench/RESULTS.md). The npm
// scripts pass the same flag; for a huge registry run `node --max-old-space-size=N bin/portwatch.mjs`.
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../cli/portwatch.ts");
