/**
 * Ordinary least squares of y on x, with the share of y's variance the line explains (R²).
 * Used to ask "does latency grow with input tokens, and how tightly?".
 */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** 1 − residual / total sum of squares; 1 is a perfect line. */
  r2: number;
  points: number;
}

/**
 * The fit of `y` on `x` over `items`, each read through the two accessors (no pair built per
 * item: a rule fits a session's calls for every trace of it, and the pairs were most of its
 * garbage). Undefined with fewer than two items, or when x or y never varies (no line to speak of).
 */
export function fitLine<T>(items: readonly T[], x: (item: T) => number, y: (item: T) => number): LinearFit | undefined {
  const n = items.length;
  if (n < 2) return undefined;
  let sumX = 0;
  let sumY = 0;
  for (const item of items) {
    sumX += x(item);
    sumY += y(item);
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const item of items) {
    const dx = x(item) - meanX;
    const dy = y(item) - meanY;
    sxx += dx ** 2;
    sxy += dx * dy;
    syy += dy ** 2;
  }
  if (sxx === 0 || syy === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let residual = 0;
  for (const item of items) residual += (y(item) - (intercept + slope * x(item))) ** 2;
  return { slope, intercept, r2: 1 - residual / syy, points: n };
}
