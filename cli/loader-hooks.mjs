// Node module hooks for the CLI: `server-only` throws outside React's server condition, so
// resolve it to the empty module React's server build uses.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") {
    return { url: "data:text/javascript,export {};", shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
