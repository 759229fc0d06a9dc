import { seededRandom } from '../../packages/core/src/compare/index.js';

/** z of the standard normal at 0.95: P95 of a lognormal is median · e^(σ · 1.6448536). */
export const Z_95 = 1.6448536269514722;

/**
 * Task durations drawn from a designed lognormal (the shape latency distributions take): median
 * `medianMs`, log-spread `sigma`, multiplied by `scale` (1.5: a build 1.5× slower), rounded to
 * whole milliseconds so an OTLP recording and its analysis read back exactly the same numbers.
 * Box–Muller over a seeded generator: the same seed draws the same durations.
 */
export function lognormalDurationsMs(
  count: number,
  { medianMs, sigma, seed, scale = 1 }: { medianMs: number; sigma: number; seed: number; scale?: number },
): number[] {
  const random = seededRandom(seed);
  const durations: number[] = [];
  while (durations.length < count) {
    const u1 = 1 - random(); // (0, 1]: log(0) never happens
    const u2 = random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    for (const z of [radius * Math.cos(2 * Math.PI * u2), radius * Math.sin(2 * Math.PI * u2)]) {
      if (durations.length < count) durations.push(Math.max(1, Math.round(medianMs * Math.exp(sigma * z) * scale)));
    }
  }
  return durations;
}
