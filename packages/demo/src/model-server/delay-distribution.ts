/**
 * Seeded variation of simulated delays, so a demo run shows realistic tails (a P99 well above the
 * median) and the same seed replays the same run.
 */

/**
 * A multiplier applied to a designed delay. `sigma` spreads it log-normally around 1 (median 1);
 * with probability `spikeProbability` it is further multiplied by `spikeFactor` (a slow outlier,
 * e.g. a cold replica or a queue on the provider's side).
 */
export interface DelayDistribution {
  /** Standard deviation of the multiplier's natural logarithm; 0 means no spread. */
  sigma: number;
  /** Probability in [0, 1] that a sample is a spike. */
  spikeProbability?: number;
  /** Multiplier applied to spikes. */
  spikeFactor?: number;
}

/** A random source returning floats in [0, 1). */
export type RandomSource = () => number;

/** mulberry32: a tiny, fast, well-distributed 32-bit seeded generator. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `baseMs` varied by `distribution` (unchanged when there is none); never negative. */
export function sampleDelayMs(baseMs: number, distribution: DelayDistribution | undefined, random: RandomSource): number {
  if (distribution === undefined) return baseMs;
  let multiplier = 1;
  if (distribution.sigma > 0) multiplier = Math.exp(distribution.sigma * standardNormal(random));
  if (distribution.spikeProbability !== undefined && random() < distribution.spikeProbability) {
    multiplier *= distribution.spikeFactor ?? 1;
  }
  return Math.max(0, baseMs * multiplier);
}

/** Box–Muller transform: one standard normal sample from two uniform ones. */
function standardNormal(random: RandomSource): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
