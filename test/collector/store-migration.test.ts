import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { TraceDetail } from '@threshold/core';
import { afterAll, describe, expect, test } from 'vitest';
import { FileBlobLog } from '../../collector/src/store/blob-log/file-blob-log.js';
import { BLOB_LOG_DIR } from '../../collector/src/store/duckdb/duckdb-store.js';
import { parseStoredDetail } from '../../collector/src/store/duckdb/trace-row.js';
import { startTestCollector } from '../support/collector-harness.js';
import { ManualClock } from './manual-clock.js';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from './otlp-json-body.js';

const QUIET_MS = 100;
const baseMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const agent = { 'gen_ai.operation.name': 'invoke_agent' };
const tool = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' };
const detailOf = async (url: string, traceId: string) => (await (await fetch(`${url}/api/traces/${traceId}`)).json()) as TraceDetail;

async function ingestTrace(url: string, clock: ManualClock, sweep: () => Promise<void>, traceId: string): Promise<void> {
  const spans = [
    { traceId, spanId: spanIdOf(1), name: 'task', startMs: 0, endMs: 1000, attributes: agent },
    { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'lookup', startMs: 100, endMs: 400, attributes: tool },
  ];
  expect((await postJson(url, otlpJsonBody('migration', baseMs, spans))).status).toBe(200);
  clock.advance(QUIET_MS);
  await sweep();
}

describe('a database written when trace details were text (VARCHAR)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'threshold-migration-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('opens, serves its stored details unchanged and takes new traces', async () => {
    const clock = new ManualClock();
    const oldTrace = traceIdOf(0xb1);
    let collector = await startTestCollector({ dataDir, quietPeriodMs: QUIET_MS, clock });
    await ingestTrace(collector.url, clock, () => collector.collector.analysis.sweep(), oldTrace);
    const before = await detailOf(collector.url, oldTrace);
    expect(before.spans.map((span) => span.name)).toEqual(['task', 'lookup']);
    await collector.close();

    // Rewrite the table as the earlier version had it: `detail` holding the JSON as text, inline
    // (no reference into the blob log).
    const instance = await DuckDBInstance.create(join(dataDir, 'threshold.duckdb'));
    const connection = await instance.connect();
    const [[traceId, segment, offset, length]] = (
      await connection.runAndReadAll('SELECT trace_id, detail_segment, detail_offset, detail_length FROM traces')
    ).getRowsJS() as [string, number, bigint, number][];
    const values = await FileBlobLog.open(join(dataDir, BLOB_LOG_DIR));
    // The collector derives span views when a trace is read; a detail of that version held them.
    const json = JSON.stringify({
      ...parseStoredDetail(await values.read({ segment, offset: Number(offset), length })),
      spans: before.spans,
    });
    await values.close();
    for (const column of ['detail_segment', 'detail_offset', 'detail_length'])
      await connection.run(`ALTER TABLE traces DROP COLUMN ${column}`);
    await connection.run(`ALTER TABLE traces ALTER detail TYPE VARCHAR USING ''`);
    await connection.run('UPDATE traces SET detail = $1 WHERE trace_id = $2', [json, traceId]);
    expect((await connection.runAndReadAll(`SELECT typeof(detail) FROM traces`)).getRowsJS()).toEqual([['VARCHAR']]);
    connection.closeSync();
    instance.closeSync();

    collector = await startTestCollector({ dataDir, quietPeriodMs: QUIET_MS, clock });
    try {
      expect(await detailOf(collector.url, oldTrace)).toEqual(before);
      const newTrace = traceIdOf(0xb2);
      await ingestTrace(collector.url, clock, () => collector.collector.analysis.sweep(), newTrace);
      const after = await detailOf(collector.url, newTrace);
      expect(after.summary.breakdown).toEqual({ llm: 0, tool: 300, state: 0, orchestration: 0, other: 700 });
      expect(after.spans.map((span) => span.name)).toEqual(['task', 'lookup']);
    } finally {
      await collector.close();
    }
  });
});
