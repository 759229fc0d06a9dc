/**
 * UX latency bands: how a wait feels to the person behind the agent. Lower bounds inclusive.
 * Figures from perception research: < 100 ms feels instant, 2–5 s frustrating, > 10 s users leave.
 */
export type UxBand = 'instant' | 'responsive' | 'noticeable' | 'frustrating' | 'uncomfortable' | 'broken';

export interface UxBandDefinition {
  band: UxBand;
  /** Inclusive lower bound in ms. */
  minMs: number;
  /** Exclusive upper bound in ms (Infinity for the last band). */
  maxMs: number;
  label: string;
  color: string;
}

export const UX_BANDS: readonly UxBandDefinition[] = [
  { band: 'instant', minMs: 0, maxMs: 100, label: 'Instant (< 100 ms)', color: '#16a34a' },
  { band: 'responsive', minMs: 100, maxMs: 500, label: 'Responsive (100–500 ms)', color: '#65a30d' },
  { band: 'noticeable', minMs: 500, maxMs: 2_000, label: 'Noticeable (0.5–2 s)', color: '#ca8a04' },
  { band: 'frustrating', minMs: 2_000, maxMs: 5_000, label: 'Frustrating (2–5 s)', color: '#ea580c' },
  { band: 'uncomfortable', minMs: 5_000, maxMs: 10_000, label: 'Uncomfortable (5–10 s)', color: '#dc2626' },
  { band: 'broken', minMs: 10_000, maxMs: Infinity, label: 'Broken (≥ 10 s)', color: '#7f1d1d' },
];

export const UX_BAND_NAMES: readonly UxBand[] = UX_BANDS.map((b) => b.band);

/** The band a latency falls in. Negative or NaN input counts as instant. */
export function uxBand(latencyMs: number): UxBand {
  for (let i = UX_BANDS.length - 1; i > 0; i--) {
    if (latencyMs >= UX_BANDS[i].minMs) return UX_BANDS[i].band;
  }
  return 'instant';
}

export function uxBandDefinition(band: UxBand): UxBandDefinition {
  return UX_BANDS.find((b) => b.band === band) ?? UX_BANDS[0];
}

/** Counts per band, every band present. */
export type BandCounts = Record<UxBand, number>;

export function emptyBandCounts(): BandCounts {
  return { instant: 0, responsive: 0, noticeable: 0, frustrating: 0, uncomfortable: 0, broken: 0 };
}

/**
 * Counts per band of latencies already sorted ascending: one binary search per band boundary
 * instead of a pass over the values.
 */
export function bandCountsOfSorted(sortedAscendingMs: ArrayLike<number>): BandCounts {
  const counts = emptyBandCounts();
  let from = 0;
  for (let i = 0; i < UX_BANDS.length; i++) {
    const until = i === UX_BANDS.length - 1 ? sortedAscendingMs.length : firstAtLeast(sortedAscendingMs, UX_BANDS[i].maxMs, from);
    counts[UX_BANDS[i].band] = until - from;
    from = until;
  }
  return counts;
}

/** Index of the first value >= bound at or after `from` (length when none). */
function firstAtLeast(sorted: ArrayLike<number>, bound: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
