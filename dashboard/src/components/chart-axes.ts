import { formatAxisTime } from '../format/format-time';

/** Axis text and line colours shared by the dashboard's charts. */
export const AXIS_TICK = { fontSize: 11, fill: '#64748b' } as const;
export const AXIS_STROKE = '#cbd5e1';

/** Props of a time X axis over `[fromMs, toMs]`: seven evenly spaced ticks, labelled for the window's length. */
export function timeAxisProps(fromMs: number, toMs: number) {
  const spanMs = toMs - fromMs;
  const ticks = Array.from({ length: 7 }, (_, i) => Math.round(fromMs + (i * spanMs) / 6));
  return {
    dataKey: 't',
    type: 'number' as const,
    domain: [fromMs, toMs],
    ticks,
    scale: 'time' as const,
    tickFormatter: (t: number) => formatAxisTime(t, spanMs),
    tick: AXIS_TICK,
    stroke: AXIS_STROKE,
  };
}
