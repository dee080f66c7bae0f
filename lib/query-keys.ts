/** Every TanStack Query key, from one factory, so invalidation and polling agree on names. */
export const queryKeys = {
  runs: {
    all: ["runs"] as const,
    detail: (runId: number) => ["runs", "detail", runId] as const,
  },
  evidence: {
    export: (id: string) => ["evidence", "export", id] as const,
  },
  lifecycle: {
    /** A policy text simulated over a repository's images as of `at`. */
    whatIf: (repositoryArn: string, at: string, policyText: string) => ["lifecycle", "what-if", repositoryArn, at, policyText] as const,
  },
};
