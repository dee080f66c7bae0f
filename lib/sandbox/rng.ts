/**
 * Deterministic randomness for the sandbox. Every entity draws from its own stream, named by a
 * path (seed, account, region, repository, ...), so any one of them can be generated on demand,
 * in any order, without generating the others: that is what keeps start-up free and memory
 * constant however large the organisation.
 */

/** 32-bit FNV-1a over the path's parts, mixed with a final avalanche (murmur3's fmix32). */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join("\u0001");
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A small, fast PRNG (mulberry32): good enough for generating data, not for secrets. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median and spread (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * A long-tailed count in [1, max]: most draws are small, a few reach max (a Pareto tail),
   * as repositories per account and images per repository are in real registries.
   */
  longTail(max: number, alpha = 1.2): number {
    const x = 1 / Math.pow(1 - this.next() * 0.999, 1 / alpha);
    return Math.max(1, Math.min(max, Math.round((x - 1) * (max / 8)) + 1));
  }

  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, "0");
    return out.slice(0, length);
  }
}

export function rngFor(seed: number, ...path: readonly (string | number)[]): Rng {
  return new Rng(hash32(seed, ...path));
}
