import fc from 'fast-check';
import { percentileSorted } from '@threshold/core';
import {
  bootstrapPercentileRatio,
  resampledPercentileSorted,
  seededRandom,
  seedFor,
  xoshiro128StarStar,
} from '../../packages/core/src/compare/index.js';
import { describe, expect, it } from 'vitest';
import { lognormalDurationsMs, Z_95 } from '../support/designed-latencies.js';

const TWO_TO_32 = 2 ** 32;
const sorted = (values: readonly number[]) => Float64Array.from(values).sort();

describe('seeded random numbers', () => {
  it('step xoshiro128** as its reference code does', () => {
    // State (1, 2, 3, 4), by hand: output = rotl(b·5, 7)·9 → rotl(10, 7)·9 = 11,520; the state
    // becomes (7, 0, 1026, 12288) → 0; then (12295, 1029, 1029, 25165824) → rotl(5145, 7)·9 = 5,927,040.
    const random = xoshiro128StarStar(1, 2, 3, 4);
    expect([random(), random(), random()].map((value) => value * TWO_TO_32)).toEqual([11_520, 0, 5_927_040]);
  });

  it('give the same sequence for the same seed, unrelated ones for neighbouring seeds, and stay pinned across versions', () => {
    const draw = (seed: number) => Array.from({ length: 4 }, seededRandom(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    // Recorded intervals depend on these: a change here changes every `threshold compare` output.
    expect(draw(1).map((value) => value * TWO_TO_32)).toEqual([2_442_144_158, 3_238_099_751, 3_819_917_871, 2_104_621_829]);
    expect(seedFor(1, 'simple')).not.toBe(seedFor(1, 'complex'));
    expect(seedFor(1, 'simple')).not.toBe(seedFor(2, 'simple'));
  });

  it('are uniform on [0, 1): 100,000 draws spread evenly over ten bins', () => {
    const random = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const value = random();
      expect(value >= 0 && value < 1).toBe(true);
      bins[Math.floor(value * 10)]++;
    }
    // χ² with 9 degrees of freedom: 21.67 is its 99th percentile.
    const chiSquare = bins.reduce((sum, count) => sum + (count - 10_000) ** 2 / 10_000, 0);
    expect(chiSquare).toBeLessThan(21.67);
  });
});

describe('the percentile of a bootstrap resample', () => {
  it('is exactly the R-7 percentile of the resample drawn and sorted the slow way', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (values, fraction, seed) => {
          const original = sorted(values);
          const slowRandom = seededRandom(seed);
          const resample = sorted(Array.from(original, () => original[Math.floor(slowRandom() * original.length)]));
          const counts = new Uint32Array(original.length);
          expect(resampledPercentileSorted(original, fraction, seededRandom(seed), counts)).toBe(percentileSorted(resample, fraction));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the bootstrap interval of a ratio of percentiles', () => {
  const baseline = sorted(lognormalDurationsMs(300, { medianMs: 1_000, sigma: 0.4, seed: 11 }));
  const candidate = sorted(lognormalDurationsMs(300, { medianMs: 1_000, sigma: 0.4, seed: 12, scale: 1.5 }));
  const options = (seed: number) => ({ fraction: 0.95, confidence: 0.95, resamples: 1_000, random: seededRandom(seed) });

  it('centres on the ratio of the full runs’ percentiles and is reproducible from its seed', () => {
    const interval = bootstrapPercentileRatio(baseline, candidate, options(3));
    expect(interval.ratio).toBe(percentileSorted(candidate, 0.95)! / percentileSorted(baseline, 0.95)!);
    expect(interval.lower).toBeLessThan(interval.ratio);
    expect(interval.upper).toBeGreaterThan(interval.ratio);
    expect(bootstrapPercentileRatio(baseline, candidate, options(3))).toEqual(interval);
    expect(bootstrapPercentileRatio(baseline, candidate, options(4))).not.toEqual(interval);
  });

  it('holds the true ratio about as often as its confidence says (200 pairs of designed runs)', () => {
    // Both runs from one lognormal (true P95 ratio 1), then the candidate 1.5× slower (true ratio 1.5).
    const coverage = (scale: number) => {
      let covered = 0;
      for (let experiment = 0; experiment < 200; experiment++) {
        const before = sorted(lognormalDurationsMs(300, { medianMs: 1_000, sigma: 0.4, seed: 1_000 + experiment }));
        const after = sorted(lognormalDurationsMs(300, { medianMs: 1_000, sigma: 0.4, seed: 5_000 + experiment, scale }));
        const { lower, upper } = bootstrapPercentileRatio(before, after, { ...options(experiment), resamples: 400 });
        if (lower <= scale && scale <= upper) covered++;
      }
      return covered / 200;
    };
    for (const scale of [1, 1.5]) {
      const share = coverage(scale);
      expect(share).toBeGreaterThanOrEqual(0.9);
      expect(share).toBeLessThanOrEqual(0.99);
    }
  });

  it('reads a true P95 close to the designed one', () => {
    // The designed P95 is 1,000 · e^(0.4 · 1.645) = 1,930 ms; 300 draws land within a few percent.
    const designedMs = 1_000 * Math.exp(0.4 * Z_95);
    expect(Math.abs(percentileSorted(baseline, 0.95)! / designedMs - 1)).toBeLessThan(0.08);
  });

  it('answers a ratio of 1 for two runs of zeros, and Infinity when only the baseline is zero', () => {
    const zeros = sorted(new Array(30).fill(0));
    expect(bootstrapPercentileRatio(zeros, zeros, options(1))).toEqual({ ratio: 1, lower: 1, upper: 1 });
    expect(bootstrapPercentileRatio(zeros, sorted(new Array(30).fill(5)), options(1))).toEqual({
      ratio: Infinity,
      lower: Infinity,
      upper: Infinity,
    });
  });
});
