import type { SpanView } from '@threshold/core';

/** A SpanView with only the fields a layout test cares about; the rest neutral. */
export function span(
  spanId: string,
  parentSpanId: string | undefined,
  startOffsetMs: number,
  durationMs: number,
  extra: Partial<SpanView> = {},
): SpanView {
  return {
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: spanId,
    category: 'other',
    startOffsetMs,
    durationMs,
    selfMs: durationMs,
    critical: false,
    status: 'unset',
    attributes: {},
    ...extra,
  };
}
