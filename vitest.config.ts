import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      { find: /^server-only$/, replacement: path.join(root, "test/server-only-stub.ts") },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "cli/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // Two cores: argon2 hashing and the CLI tests' child processes are CPU-bound.
    maxWorkers: 2,
    // Auth.js imports "next/server" without an extension, which Node's ESM resolver refuses;
    // transformed by Vite, it resolves (the route-handler tests call Auth.js's handlers).
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
