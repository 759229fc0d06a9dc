/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value`, so axis ticks land on round numbers. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value - 1e-9 * power) return step * power;
  return 10 * power;
}
