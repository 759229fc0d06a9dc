import { analyseRecords } from '@threshold/core';
import { capTraceSpans, ConfigError, DEFAULT_MAX_SPANS_PER_TRACE, optionsFromSettings, settingsFromEnv } from '@threshold/collector';
import { describe, expect, test } from 'vitest';
import { drawTimeline, drawing, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * Arrival order is the list order; the root arrives last (it ends last), `e` has no parent
 * either (a second root, starting late):
 *
 *   a    |==|
 *   b       |==|
 *   c          |==|
 *   d             |==|
 *   e                |==|
 *   root |================|
 */
const spans: FixtureSpan[] = [
  { id: 'a', parent: 'root', startMs: 0, endMs: 30 },
  { id: 'b', parent: 'root', startMs: 30, endMs: 60 },
  { id: 'c', parent: 'root', startMs: 60, endMs: 90 },
  { id: 'd', parent: 'root', startMs: 90, endMs: 120 },
  { id: 'e', startMs: 120, endMs: 150 },
  { id: 'root', startMs: 0, endMs: 170 },
];

describe('the spans-per-trace cap', () => {
  test('the fixture is the trace drawn above', () => {
    expect(drawTimeline(spans, 10)).toBe(
      drawing(`
        a    |==|
        b       |==|
        c          |==|
        d             |==|
        e                |==|
        root |================|
      `),
    );
  });

  test('keeps every root, then the earliest-starting spans, in arrival order, and counts the rest', () => {
    const capped = capTraceSpans(fixtureRecords(spans), 4);
    expect([capped.kept.map((span) => span.spanId), capped.dropped]).toEqual([['a', 'b', 'e', 'root'], 2]);
  });

  test('duplicates of a span are neither counted against the cap nor as dropped', () => {
    const records = fixtureRecords(spans);
    const withRetries = [...records, records[0], records[1], records[5]];
    expect(capTraceSpans(withRetries, 6)).toEqual({ kept: withRetries, dropped: 0 });
    const capped = capTraceSpans(withRetries, 5);
    expect([capped.kept.map((span) => span.spanId), capped.dropped]).toEqual([['a', 'b', 'c', 'e', 'root'], 1]);
  });

  test('a trace within the cap is analysed exactly as without it', () => {
    const records = fixtureRecords(spans);
    const capped = capTraceSpans(records, 6);
    expect(capped.dropped).toBe(0);
    expect(analyseRecords(capped.kept)).toEqual(analyseRecords(records));
  });

  test('a 10,000-span trace is kept whole under the default cap', () => {
    const wide: FixtureSpan[] = [
      { id: 'root', startMs: 0, endMs: 20_000 },
      ...Array.from({ length: 9_999 }, (_, n) => ({ id: `s${n}`, parent: 'root', startMs: n * 2, endMs: n * 2 + 1 })),
    ];
    const capped = capTraceSpans(fixtureRecords(wide), DEFAULT_MAX_SPANS_PER_TRACE);
    expect([DEFAULT_MAX_SPANS_PER_TRACE, capped.kept.length, capped.dropped]).toEqual([50_000, 10_000, 0]);
  });

  test('configured by --max-spans-per-trace over THRESHOLD_MAX_SPANS_PER_TRACE over the default; a non-positive cap is refused', () => {
    const env = settingsFromEnv({ THRESHOLD_MAX_SPANS_PER_TRACE: '20000' });
    expect([
      optionsFromSettings({}, {}).maxSpansPerTrace,
      optionsFromSettings({}, env).maxSpansPerTrace,
      optionsFromSettings({ maxSpansPerTrace: '300' }, env).maxSpansPerTrace,
    ]).toEqual([50_000, 20_000, 300]);
    expect(() => optionsFromSettings({ maxSpansPerTrace: '0' }, {})).toThrow(
      new ConfigError('max spans per trace must be between 1 and 10000000, got 0'),
    );
  });
});
