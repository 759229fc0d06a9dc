/**
 * A small seeded random source, so a demo run with the same seed makes the same decisions.
 * mulberry32: 32-bit state, fast, and good enough for simulated latencies (not for anything
 * secret). Every simulated user and session derives its own stream from the run's seed, so the
 * decisions of one user never depend on how the scheduler interleaved the others.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Integer uniform in [min, max], both inclusive. */
  integer(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /**
   * A latency with a long right tail, as real services have: log-normal around `medianMs`,
   * `spread` the standard deviation of the log (0.25 keeps most values within ±50 %).
   */
  latencyMs(medianMs: number, spread?: number): number;
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const standardNormal = (): number => {
    // Box–Muller; 1 - next() keeps the logarithm's argument above 0.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    integer: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    latencyMs: (medianMs, spread = 0.25) => medianMs * Math.exp(spread * standardNormal()),
  };
}

/**
 * A seed for a named sub-stream (`deriveSeed(runSeed, 'user', 3)`): FNV-1a over the parts, so
 * neighbouring users get unrelated streams.
 */
export function deriveSeed(seed: number, ...parts: Array<string | number>): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const character of parts.join('/')) {
    hash ^= character.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
