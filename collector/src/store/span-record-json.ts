import type { SpanEventRecord, SpanRecord } from '@threshold/core';

/**
 * The stored form of raw spans: JSON with nanosecond times as decimal strings (JSON numbers lose
 * precision past 2^53). Raw spans are kept so a trace can be analysed again: after a late span,
 * after a restart, after an analysis change.
 */
interface SpanJson extends Omit<SpanRecord, 'startTimeUnixNano' | 'endTimeUnixNano' | 'events'> {
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  events: Array<Omit<SpanEventRecord, 'timeUnixNano'> & { timeUnixNano: string }>;
}

export function spanRecordsToJson(spans: readonly SpanRecord[]): string {
  const rows: SpanJson[] = spans.map((span) => ({
    ...span,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    events: span.events.map((event) => ({ ...event, timeUnixNano: event.timeUnixNano.toString() })),
  }));
  return JSON.stringify(rows);
}

export function spanRecordsFromJson(json: string): SpanRecord[] {
  const rows = JSON.parse(json) as SpanJson[];
  return rows.map((row) => ({
    ...row,
    startTimeUnixNano: BigInt(row.startTimeUnixNano),
    endTimeUnixNano: BigInt(row.endTimeUnixNano),
    events: row.events.map((event) => ({ ...event, timeUnixNano: BigInt(event.timeUnixNano) })),
  }));
}
