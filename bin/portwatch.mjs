#!/usr/bin/env node
// The `portwatch` command. Runs the TypeScript sources in cli/ through tsx, with `server-only`
// resolved as on the server (lib/db is server-only code, and the CLI is a server).
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { register as registerTsx } from "tsx/esm/api";

register("../cli/loader-hooks.mjs", import.meta.url);
registerTsx({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../cli/portwatch.ts");
