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

/** Undefined with fewer than two points, or when x or y never varies (no line to speak of). */
export function fitLine(points: ReadonlyArray<readonly [x: number, y: number]>): LinearFit | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  let sumX = 0;
  let sumY = 0;
  for (const [x, y] of points) {
    sumX += x;
    sumY += y;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }
  if (sxx === 0 || syy === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let residual = 0;
  for (const [x, y] of points) residual += (y - (intercept + slope * x)) ** 2;
  return { slope, intercept, r2: 1 - residual / syy, points: n };
}
