import { describe, expect, it } from 'vitest';
import { fitLine } from '../../packages/core/src/recommendations/linear-fit.js';

interface Call {
  tokens: number;
  ms: number;
}
const fit = (calls: Call[]) =>
  fitLine(
    calls,
    (call) => call.tokens,
    (call) => call.ms,
  );

describe('fitLine (least squares of y on x, as compress-context fits latency on input tokens)', () => {
  it('gives the slope, intercept and R² worked out by hand for points off the line', () => {
    // x 1..4, y 2, 3, 5, 4: means 2.5 and 3.5; Sxx 5, Sxy 4, Syy 5; slope 0.8, intercept 1.5;
    // residuals −0.3, −0.1, 1.1, −0.7, their squares sum to 1.8, so R² = 1 − 1.8 / 5 = 0.64.
    const line = fit([
      { tokens: 1, ms: 2 },
      { tokens: 2, ms: 3 },
      { tokens: 3, ms: 5 },
      { tokens: 4, ms: 4 },
    ])!;
    expect(line.points).toBe(4);
    expect(line.slope).toBeCloseTo(0.8, 12);
    expect(line.intercept).toBeCloseTo(1.5, 12);
    expect(line.r2).toBeCloseTo(0.64, 12);
  });

  it('is exact on a line, whatever the order of the points', () => {
    expect(
      fit([
        { tokens: 3000, ms: 500 },
        { tokens: 1000, ms: 300 },
        { tokens: 2000, ms: 400 },
      ]),
    ).toEqual({ slope: 0.1, intercept: 200, r2: 1, points: 3 });
  });

  it('has no line with fewer than two points, or when x or y never varies', () => {
    expect(fit([])).toBeUndefined();
    expect(fit([{ tokens: 1000, ms: 300 }])).toBeUndefined();
    expect(
      fit([
        { tokens: 1000, ms: 300 },
        { tokens: 1000, ms: 400 },
      ]),
    ).toBeUndefined();
    expect(
      fit([
        { tokens: 1000, ms: 300 },
        { tokens: 2000, ms: 300 },
      ]),
    ).toBeUndefined();
  });
});
