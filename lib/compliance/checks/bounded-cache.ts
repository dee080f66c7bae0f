/**
 * `compute` memoised per distinct key, holding at most `limit` results: when full, the oldest
 * (first stored) result is dropped. For parsers whose few distinct inputs repeat across thousands
 * of resources; the bound keeps a scale run from growing the cache without end.
 */
export function boundedCache<V>(compute: (key: string) => V, limit: number): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = compute(key);
    if (cache.size >= limit) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(key, value);
    return value;
  };
}
