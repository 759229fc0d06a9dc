/**
 * Converts integer-ns parts into ms floats that add up to exactly `totalNs / 1e6` in any order,
 * as the contract promises (the breakdown's buckets sum to durationMs).
 *
 * Plain `ns / 1e6` per part does not: each quotient is rounded, and the float sum of the
 * rounded parts is off the rounded total by an ulp or so about one time in twenty. Instead every
 * part is rounded to a multiple of u, the unit in the last place of the total. All multiples of u
 * below twice the total are exact doubles, so every partial sum is exact, in whatever order a
 * reader adds them; the few u of rounding left over go to the largest part (error ≈ 1e-13 ms for
 * a one-second task). Zero parts stay exactly zero.
 */
export function splitMilliseconds(partsNs: readonly number[], totalNs: number): number[] {
  return splitMillisecondsTo(partsNs, totalNs / 1e6);
}

/**
 * As {@link splitMilliseconds}, to a given ms total (e.g. a bucket that is itself one such part).
 * The parts' ns values are scaled to that total.
 */
export function splitMillisecondsTo(partsNs: readonly number[], totalMs: number): number[] {
  if (!(totalMs > 0) || !Number.isFinite(totalMs)) return partsNs.map(() => 0);
  const unitMs = unitInLastPlace(totalMs);
  const totalUnits = totalMs / unitMs;
  const partsSumNs = partsNs.reduce((sum, ns) => sum + ns, 0);
  const scale = partsSumNs > 0 ? totalMs / (partsSumNs / 1e6) : 0;
  const units = partsNs.map((ns) => Math.max(0, Math.round(((ns / 1e6) * scale) / unitMs)));
  let largest = 0;
  for (let i = 1; i < units.length; i++) if (units[i] > units[largest]) largest = i;
  const leftover = totalUnits - units.reduce((sum, count) => sum + count, 0);
  if (units.length > 0) units[largest] = Math.max(0, units[largest] + leftover);
  return units.map((count) => count * unitMs);
}

/** The spacing of doubles at `value` (> 0): 2^(exponent − 52). */
function unitInLastPlace(value: number): number {
  let exponent = Math.floor(Math.log2(value));
  if (2 ** exponent > value) exponent--;
  else if (2 ** (exponent + 1) <= value) exponent++;
  return 2 ** (exponent - 52);
}
