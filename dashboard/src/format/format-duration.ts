/**
 * Durations as people read them: sub-millisecond with two decimals, milliseconds with at most one
 * decimal under 10 ms, seconds with two decimals under 10 s and one above, minutes past a minute.
 */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${sign}${abs.toFixed(2)} ms`;
  if (abs < 10) return `${sign}${trimZero(abs.toFixed(1))} ms`;
  if (abs < 1_000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${(abs / 1_000).toFixed(2)} s`;
  if (abs < 60_000) return `${sign}${(abs / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1_000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${sign}${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${sign}${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

/** Counts like token totals: 950, 12.3k, 4.56M. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs < 1_000) return String(Math.round(value));
  if (abs < 1_000_000) return `${trimZero((value / 1_000).toFixed(abs < 10_000 ? 2 : 1))}k`;
  return `${trimZero((value / 1_000_000).toFixed(2))}M`;
}

/** A 0–1 fraction as a percentage. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  if (pct < 1) return `${pct.toFixed(2)}%`;
  return `${pct.toFixed(1)}%`;
}
