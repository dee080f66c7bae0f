/** Every TanStack Query key, from one factory, so invalidation and polling agree on names. */
export const queryKeys = {
  runs: {
    all: ["runs"] as const,
    detail: (runId: number) => ["runs", "detail", runId] as const,
  },
};
