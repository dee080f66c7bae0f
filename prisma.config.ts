import { defineConfig } from "prisma/config";

// Prisma's CLI only generates the client here; migrations are applied by `portwatch migrate`
// (STACK.md, trap 1), so no datasource URL is needed at generate time.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
