/** At most `perAccount` targets of one account at once in this process (AWS throttles per account). */
export function accountLimiter(perAccount: number) {
  const active = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  return async <T>(accountId: string | undefined, fn: () => Promise<T>): Promise<T> => {
    if (!accountId) return fn();
    while ((active.get(accountId) ?? 0) >= perAccount) {
      await new Promise<void>((resolve) => waiting.set(accountId, [...(waiting.get(accountId) ?? []), resolve]));
    }
    active.set(accountId, (active.get(accountId) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      active.set(accountId, (active.get(accountId) ?? 1) - 1);
      const next = waiting.get(accountId)?.shift();
      next?.();
    }
  };
}
