"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

/**
 * TanStack Query for state the browser owns (a connection test, a run in progress, a what-if
 * lifecycle simulation). Wrap only the client components that need it: pages stay server-rendered. One client per
 * mounted tree; nesting under another provider is harmless (the nearest one is used).
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
