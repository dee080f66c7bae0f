import { env } from "@/lib/env";

/** Runs once when the server starts: a bad environment stops it here, naming the variable. */
export function register() {
  env();
}
