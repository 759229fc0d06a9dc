/**
 * The time window a view shows, as kept in the URL: `range=15m|1h|24h|7d` (relative to now, so a
 * live view keeps sliding) or `range=custom&from=<epoch ms>&to=<epoch ms>`. Resolved against an
 * explicit `nowMs` so it is testable and every query of one refresh uses the same instant.
 */
export type RangePreset = '15m' | '1h' | '24h' | '7d';
export type RangeKey = RangePreset | 'custom';

export const RANGE_PRESETS: ReadonlyArray<{ key: RangePreset; label: string; durationMs: number }> = [
  { key: '15m', label: 'Last 15 min', durationMs: 15 * 60_000 },
  { key: '1h', label: 'Last 1 h', durationMs: 60 * 60_000 },
  { key: '24h', label: 'Last 24 h', durationMs: 24 * 60 * 60_000 },
  { key: '7d', label: 'Last 7 d', durationMs: 7 * 24 * 60 * 60_000 },
];

export const DEFAULT_RANGE: RangePreset = '1h';

export interface TimeRange {
  key: RangeKey;
  fromMs: number;
  toMs: number;
}

export function resolveTimeRange(params: URLSearchParams, nowMs: number): TimeRange {
  const key = params.get('range');
  if (key === 'custom') {
    const fromMs = Number(params.get('from'));
    const toMs = Number(params.get('to'));
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && params.get('from') && params.get('to') && fromMs < toMs) {
      return { key: 'custom', fromMs, toMs };
    }
  }
  const preset = RANGE_PRESETS.find((p) => p.key === key) ?? RANGE_PRESETS.find((p) => p.key === DEFAULT_RANGE)!;
  return { key: preset.key, fromMs: nowMs - preset.durationMs, toMs: nowMs };
}

/**
 * Bucket width for a time series over a window: a round step giving at most `maxBuckets` points
 * (1 min for the last hour at 60 buckets; 1 h for a week at 168).
 */
const BUCKET_STEPS_MS = [10_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000];

export function bucketMsFor(range: { fromMs: number; toMs: number }, maxBuckets = 60): number {
  const span = Math.max(range.toMs - range.fromMs, 1);
  for (const step of BUCKET_STEPS_MS) {
    if (span / step <= maxBuckets) return step;
  }
  return BUCKET_STEPS_MS[BUCKET_STEPS_MS.length - 1];
}
