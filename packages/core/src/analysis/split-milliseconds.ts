/**
 * Converts integer-ns parts that sum to `totalNs` into ms floats whose left-to-right float sum is
 * exactly `totalNs / 1e6`, the way the contract promises (breakdown buckets sum to durationMs).
 *
 * Each part is first its own ns / 1e6; float rounding can leave the running sum an ulp or two off
 * the total, so the difference is folded into the largest part (where it is relatively smallest
 * and cannot turn a bucket negative) until the sum is exact. The parts are still each within a
 * few ulps of their true value.
 */
export function splitMilliseconds(partsNs: readonly number[], totalNs: number): number[] {
  return splitMillisecondsTo(partsNs, totalNs / 1e6);
}

/** As {@link splitMilliseconds}, summing to a given ms total (a bucket that was itself adjusted). */
export function splitMillisecondsTo(partsNs: readonly number[], totalMs: number): number[] {
  const parts = partsNs.map((ns) => ns / 1e6);
  if (parts.length === 0) return parts;
  let largest = 0;
  for (let i = 1; i < parts.length; i++) if (parts[i] > parts[largest]) largest = i;
  for (let attempt = 0; attempt < 8; attempt++) {
    const sum = sumLeftToRight(parts);
    if (sum === totalMs) return parts;
    parts[largest] = Math.max(0, parts[largest] + (totalMs - sum));
  }
  return nudgeUntilExact(parts, largest, totalMs);
}

export function sumLeftToRight(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

/**
 * Fallback when folding the difference oscillates between two neighbouring floats: step the
 * largest part one ulp at a time towards the total.
 */
function nudgeUntilExact(parts: number[], index: number, totalMs: number): number[] {
  for (let step = 0; step < 64; step++) {
    const sum = sumLeftToRight(parts);
    if (sum === totalMs) return parts;
    parts[index] = nextFloat(parts[index], sum < totalMs ? 1 : -1);
    if (parts[index] < 0) parts[index] = 0;
  }
  return parts;
}

const view = new DataView(new ArrayBuffer(8));

function nextFloat(value: number, direction: 1 | -1): number {
  if (value === 0) return direction > 0 ? Number.MIN_VALUE : 0;
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, value > 0 === direction > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
