import type { AttributeValue, SpanEventRecord, SpanRecord, StatusCode } from '@threshold/core';

/** Epoch ns all fixture times count from (2023-11-14T22:13:20Z). */
export const FIXTURE_EPOCH_NS = 1_700_000_000_000_000_000n;
export const FIXTURE_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

export interface FixtureSpan {
  id: string;
  parent?: string;
  name?: string;
  startMs: number;
  endMs: number;
  attributes?: Record<string, AttributeValue>;
  events?: Array<{ name: string; atMs: number; attributes?: Record<string, AttributeValue> }>;
  status?: StatusCode;
  kind?: number;
  service?: string;
}

/** Milliseconds after the fixture epoch as exact epoch ns (fractions down to 1 ns). */
export function fixtureNs(ms: number): bigint {
  return FIXTURE_EPOCH_NS + BigInt(Math.round(ms * 1e6));
}

/** A SpanRecord from a compact fixture line; ids are kept readable (tests compare them as given). */
export function fixtureRecord(span: FixtureSpan): SpanRecord {
  const events: SpanEventRecord[] = (span.events ?? []).map((event) => ({
    name: event.name,
    timeUnixNano: fixtureNs(event.atMs),
    attributes: event.attributes ?? {},
  }));
  const record: SpanRecord = {
    traceId: FIXTURE_TRACE_ID,
    spanId: span.id,
    name: span.name ?? span.id,
    kind: span.kind ?? 1,
    startTimeUnixNano: fixtureNs(span.startMs),
    endTimeUnixNano: fixtureNs(span.endMs),
    statusCode: span.status ?? 0,
    service: span.service ?? 'agent',
    attributes: span.attributes ?? {},
    events,
  };
  if (span.parent !== undefined) record.parentSpanId = span.parent;
  return record;
}

export function fixtureRecords(spans: readonly FixtureSpan[]): SpanRecord[] {
  return spans.map(fixtureRecord);
}

/**
 * Draws fixture spans jaeger-style, one row per span in the given order, `msPerColumn` ms per
 * character: `|` at start and end, `=` between. A fixture's drawing is checked against this, so
 * the picture at the top of a test is always the trace the test runs on.
 */
export function drawTimeline(spans: readonly FixtureSpan[], msPerColumn: number): string {
  const labelWidth = Math.max(...spans.map((span) => span.id.length)) + 1;
  return spans
    .map((span) => {
      const from = Math.round(span.startMs / msPerColumn);
      const to = Math.round(span.endMs / msPerColumn);
      const bar = to > from ? '|' + '='.repeat(Math.max(0, to - from - 1)) + '|' : '|';
      return (span.id.padEnd(labelWidth) + ' '.repeat(Math.max(0, from)) + bar).trimEnd();
    })
    .join('\n');
}

/** A drawing written in a template literal: common indentation and blank edge lines removed. */
export function drawing(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent).trimEnd()).join('\n');
}
