import { ClickHouseStore, decodeStoredRequest, sqlIdentifier, sqlList, sqlLiteral } from '@threshold/collector';
import { analyseRecords, DEFAULT_TASK_CLASS_CONFIG, type SpanRecord } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startClickHouseServer, type ClickHouseServer } from '../support/clickhouse-server.js';
import { agentWorkload, ingestBatch, traceBody } from './agent-workload.js';

const HOSTILE_STRINGS = [
  "it's",
  "'; DROP TABLE traces; --",
  "\\'; DROP TABLE traces; --",
  'back\\slash\\',
  'trailing backslash \\',
  'nul\u0000byte',
  'new\nline\r\ttab',
  '\u0001\u001f\u007f',
  'ünïcödé ✓ 漢字 🚀',
  '"double" `back` quotes',
  "?' OR 1=1 --",
  '',
];

describe('SQL literals', () => {
  test.each([
    ["it's", "'it\\'s'"],
    ['a\\b', "'a\\\\b'"],
    ['nul\u0000', "'nul\\x00'"],
    ['line\nbreak', "'line\\x0abreak'"],
    ['del\u007f', "'del\\x7f'"],
    ['ünïcödé 🚀', "'ünïcödé 🚀'"],
    ["'; DROP TABLE traces; --", "'\\'; DROP TABLE traces; --'"],
  ])('the string %j is written %s', (value, literal) => {
    expect(sqlLiteral(value)).toBe(literal);
  });

  test('numbers are written as JavaScript prints them, negatives in parentheses; booleans 1/0; null NULL', () => {
    expect([
      sqlLiteral(1_700_000_000_123.25),
      sqlLiteral(-5),
      sqlLiteral(-0),
      sqlLiteral(2.5e-7),
      sqlLiteral(true),
      sqlLiteral(false),
      sqlLiteral(null),
    ]).toEqual(['1700000000123.25', '(-5)', '(0)', '2.5e-7', '1', '0', 'NULL']);
  });

  test.each([NaN, Infinity, -Infinity])('%s is refused', (value) => {
    expect(() => sqlLiteral(value)).toThrow(new RangeError(`not a finite number: ${value}`));
  });

  test('a value that is not a string, number, boolean or null is refused', () => {
    expect(() => sqlLiteral({} as unknown as string)).toThrow(new TypeError('not a SQL value: object'));
  });

  test('lists are parenthesised literals; an empty list matches nothing', () => {
    expect([sqlList(['a', "b'c", 3]), sqlList([])]).toEqual(["('a', 'b\\'c', 3)", '(NULL)']);
  });

  test.each(['threshold', 'threshold_test_1', '_x'])('the identifier %s is accepted as is', (name) => {
    expect(sqlIdentifier(name)).toBe(name);
  });

  test.each(['a-b', 'x; DROP DATABASE y', '', '1abc', '`x`', 'a b', 'x'.repeat(65)])('the identifier %j is refused', (name) => {
    expect(() => sqlIdentifier(name)).toThrow(RangeError);
  });
});

describe('SQL literals on a real ClickHouse server', () => {
  let server: ClickHouseServer;
  beforeAll(async () => {
    server = await startClickHouseServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const select = async (sql: string) => {
    const response = await fetch(`${server.url}/`, { method: 'POST', body: `${sql} FORMAT JSONCompact` });
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: unknown[][] }).data;
  };

  test('every hostile string reads back unchanged, byte for byte', async () => {
    const rows = await select(`SELECT ${HOSTILE_STRINGS.map((value) => `${sqlLiteral(value)}, hex(${sqlLiteral(value)})`).join(', ')}`);
    const hex = (value: string) => Buffer.from(value, 'utf8').toString('hex').toUpperCase();
    expect(rows[0]).toEqual(HOSTILE_STRINGS.flatMap((value) => [value, hex(value)]));
  });

  test('numbers read back as the same doubles', async () => {
    const values = [0.1 + 0.2, 1_700_000_000_123.4568, -12.5, 1 / 3, 2.5e-7, 0];
    expect((await select(`SELECT ${values.map(sqlLiteral).join(', ')}`))[0]).toEqual(values);
  });

  test('hostile names are stored and found as data; no statement is injected', async () => {
    const store = await ClickHouseStore.open({
      url: server.url,
      database: 'injection',
      taskClasses: DEFAULT_TASK_CLASS_CONFIG,
      decodeRequest: decodeStoredRequest,
    });
    const traces = agentWorkload(HOSTILE_STRINGS.length, { seed: 3 }).map((trace, i) => ({
      ...trace,
      service: HOSTILE_STRINGS[i] || 'empty',
    }));
    await store.appendBatches(traces.map((trace) => ingestBatch(traceBody(trace))));
    const spans = await store.loadTraceSpans(traces.map((trace) => trace.traceId));
    await store.saveAnalyses(
      traces.map((trace) => {
        const records = spans.get(trace.traceId) as SpanRecord[];
        return { analysis: analyseRecords(records), findings: [], analysedSpanCount: records.length, replacesStored: false };
      }),
    );
    for (const trace of traces) {
      const list = await store.listTraces({ service: trace.service, limit: 10, offset: 0 });
      expect(list.traces.map((summary) => [summary.traceId, summary.service])).toEqual([[trace.traceId, trace.service]]);
      expect(await store.getTraceDetail(trace.service)).toBeUndefined();
      expect(await store.sessionDetail(trace.service)).toBeUndefined();
    }
    expect((await store.filters()).services).toEqual(HOSTILE_STRINGS.map((value) => value || 'empty').sort());
    expect((await store.listTraces({ limit: 100, offset: 0 })).total).toBe(HOSTILE_STRINGS.length);
    await store.close();
  });
});
